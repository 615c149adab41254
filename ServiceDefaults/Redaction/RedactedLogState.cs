using System.Collections;

namespace Atlas.ServiceDefaults.Redaction;

/// <summary>
/// The state a <see cref="RedactingLogger"/> hands on instead of the caller's: the same named values, redacted,
/// and a <see cref="ToString"/> that is the redacted message. Providers read structured values through the list
/// (OpenTelemetry turns them into attributes), and plain-text providers print <see cref="ToString"/>.
/// </summary>
/// <remarks>
/// The <c>{OriginalFormat}</c> template goes through the same redactor. A template written with placeholders
/// holds no secret and so comes through unchanged; one built by string interpolation may hold a secret
/// (OpenTelemetry exports it as the log body), and then it is redacted like any other text.
/// </remarks>
internal sealed class RedactedLogState : IReadOnlyList<KeyValuePair<string, object?>>
{
    /// <summary>The formatter to pass along with this state.</summary>
    public static readonly Func<RedactedLogState, Exception?, string> Format = static (state, _) => state._message;

    private readonly KeyValuePair<string, object?>[] _values;
    private readonly string _message;

    private RedactedLogState(KeyValuePair<string, object?>[] values, string message)
    {
        _values = values;
        _message = message;
    }

    public int Count => _values.Length;

    public KeyValuePair<string, object?> this[int index] => _values[index];

    /// <summary>
    /// Redacts the named values of <paramref name="state"/> (when it has any) and pairs them with the
    /// already redacted <paramref name="redactedMessage"/>.
    /// </summary>
    public static RedactedLogState Create<TState>(TState state, string redactedMessage, SecretRedactor redactor)
    {
        var values = state switch
        {
            IReadOnlyList<KeyValuePair<string, object?>> list => RedactAll(list, redactor),
            IEnumerable<KeyValuePair<string, object?>> sequence => RedactAll(sequence.ToArray(), redactor),
            _ => [],
        };

        return new RedactedLogState(values, redactedMessage);
    }

    /// <summary>
    /// A scope state made safe to hand to a provider: named values become a <see cref="RedactedScope"/>, redacted
    /// (values, and the scope text) when a provider first reads them; anything else is redacted as a single value.
    /// </summary>
    public static object? ForScope(object? scope, SecretRedactor redactor) => scope switch
    {
        IEnumerable<KeyValuePair<string, object?>> values => new RedactedScope(values, redactor),
        _ => RedactedValue.Of(scope, redactor),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => _message;

    private static KeyValuePair<string, object?>[] RedactAll(
        IReadOnlyList<KeyValuePair<string, object?>> values,
        SecretRedactor redactor)
    {
        var redacted = new KeyValuePair<string, object?>[values.Count];
        for (var i = 0; i < redacted.Length; i++)
        {
            var (key, value) = values[i];
            redacted[i] = new(key, RedactedValue.Of(value, redactor));
        }

        return redacted;
    }
}
