using System.Collections;

namespace Atlas.ServiceDefaults.Redaction;

/// <summary>
/// A scope with named values, redacted when a provider first reads it rather than when it begins. Most scopes
/// (ASP.NET Core's per-request scope among them) end without any entry written inside them, so their values are never
/// formatted or searched for secrets; once read, the redacted values and text are kept, and every reader sees those.
/// A provider reads the named values redacted, and the redacted scope text as <see cref="ToString"/>.
/// </summary>
internal sealed class RedactedScope(IEnumerable<KeyValuePair<string, object?>> scope, SecretRedactor redactor)
    : IReadOnlyList<KeyValuePair<string, object?>>
{
    private RedactedLogState? _redacted;

    public int Count => Redacted.Count;

    public KeyValuePair<string, object?> this[int index] => Redacted[index];

    // Providers may read one scope from several threads at once: each may redact, one result is kept.
    private RedactedLogState Redacted
    {
        get
        {
            var redacted = Volatile.Read(ref _redacted);
            if (redacted is null)
            {
                redacted = RedactedLogState.Create(scope, redactor.Redact(scope.ToString()), redactor);
                redacted = Interlocked.CompareExchange(ref _redacted, redacted, null) ?? redacted;
            }

            return redacted;
        }
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Redacted.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Redacted.ToString();
}
