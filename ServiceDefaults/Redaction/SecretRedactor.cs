using System.Buffers;
using Microsoft.Extensions.Configuration;

namespace Atlas.ServiceDefaults.Redaction;

/// <summary>
/// Replaces secrets in free text with <see cref="Mask"/>: Telegram bot tokens (also the segment after
/// <c>/bot</c> in a URL path), <c>password=</c>/<c>pwd=</c> values, <c>Authorization</c> header values,
/// <c>Bearer</c> tokens, URI user-info passwords, <c>sk-</c> API keys, and every known secret value.
/// </summary>
/// <remarks>
/// <para>Known secrets are matched exactly (ordinal), longest first, and only when at least
/// <see cref="MinimumSecretLength"/> characters long; shorter values would mask ordinary words.</para>
/// <para>Thread-safe and allocation-free when the text holds nothing to redact: the same instance comes back.</para>
/// </remarks>
public sealed class SecretRedactor
{
    /// <summary>What every secret is replaced with.</summary>
    public const string Mask = "***";

    /// <summary>Known secret values shorter than this are ignored.</summary>
    public const int MinimumSecretLength = 4;

    // Cheap pre-check: every pattern rule needs one of these (case-insensitive) or a token-shaped run.
    private static readonly SearchValues<string> PatternTriggers = SearchValues.Create(
        ["/bot", "password", "pwd", "authorization", "bearer", "sk-", "://"],
        StringComparison.OrdinalIgnoreCase);

    private readonly string[] _knownSecrets;
    private readonly SearchValues<string>? _knownSecretSearch;

    /// <summary>A redactor that applies the pattern rules only.</summary>
    public SecretRedactor()
        : this([])
    {
    }

    /// <summary>A redactor that applies the pattern rules and masks every one of <paramref name="knownSecrets"/>.</summary>
    public SecretRedactor(IEnumerable<string?> knownSecrets)
    {
        ArgumentNullException.ThrowIfNull(knownSecrets);

        _knownSecrets = knownSecrets
            .OfType<string>()
            .Where(secret => secret.Length >= MinimumSecretLength)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(secret => secret.Length)
            .ThenBy(secret => secret, StringComparer.Ordinal)
            .ToArray();

        _knownSecretSearch = _knownSecrets.Length == 0
            ? null
            : SearchValues.Create(_knownSecrets, StringComparison.Ordinal);
    }

    /// <summary>How many distinct known secret values this redactor masks.</summary>
    public int KnownSecretCount => _knownSecrets.Length;

    /// <summary>
    /// Builds a redactor whose known secrets come from <paramref name="configuration"/>: values of keys whose
    /// last segment ends with Token, Password, Secret, ApiKey or Key, every value under <c>Parameters:</c>,
    /// and the password inside any connection-string or URI value.
    /// </summary>
    public static SecretRedactor FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new SecretRedactor(ConfiguredSecrets.Collect(configuration));
    }

    /// <summary>
    /// Returns <paramref name="text"/> with every secret replaced by <see cref="Mask"/>.
    /// </summary>
    /// <returns>
    /// The same instance when there is nothing to redact (including an empty string);
    /// <see cref="string.Empty"/> for <see langword="null"/>.
    /// </returns>
    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var span = text.AsSpan();
        var holdsKnownSecret = _knownSecretSearch is not null && span.ContainsAny(_knownSecretSearch);
        if (!holdsKnownSecret && !span.ContainsAny(PatternTriggers) && !SecretPatterns.ContainsTelegramToken(span))
        {
            return text;
        }

        var redacted = text;
        if (holdsKnownSecret)
        {
            // Longest first, so a secret that contains a shorter one is masked whole.
            foreach (var secret in _knownSecrets)
            {
                redacted = redacted.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return SecretPatterns.Apply(redacted);
    }
}
