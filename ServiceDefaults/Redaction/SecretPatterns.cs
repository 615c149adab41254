using System.Buffers;
using System.Text.RegularExpressions;

namespace Atlas.ServiceDefaults.Redaction;

/// <summary>
/// The shape-based redaction rules: secrets recognised by what surrounds them or by how they look,
/// without knowing their value. Each rule keeps the text around the secret so the line stays readable.
/// </summary>
internal static partial class SecretPatterns
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    private static readonly SearchValues<char> TokenSecretChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    private const int TelegramBotIdMinDigits = 6;
    private const int TelegramSecretMinChars = 30;

    /// <summary>Applies every rule in turn; returns <paramref name="text"/> itself when no rule matched.</summary>
    public static string Apply(string text)
    {
        // Header values first: they may hold a Bearer token that the next rule would only partly cover.
        var result = AuthorizationHeader().Replace(text, "${prefix}" + SecretRedactor.Mask);
        result = BearerToken().Replace(result, "${prefix}" + SecretRedactor.Mask);
        result = TelegramBotPathSegment().Replace(result, SecretRedactor.Mask);
        result = TelegramBotToken().Replace(result, SecretRedactor.Mask);
        result = PasswordSetting().Replace(result, MaskPasswordSetting);
        result = UriUserInfoPassword().Replace(result, "${prefix}" + SecretRedactor.Mask);
        return OpenAiApiKey().Replace(result, SecretRedactor.Mask);
    }

    /// <summary>
    /// True when <paramref name="text"/> holds a Telegram-token-shaped run: 6+ digits, a colon, 30+ token characters.
    /// </summary>
    public static bool ContainsTelegramToken(ReadOnlySpan<char> text)
    {
        var searchFrom = 0;
        while (searchFrom < text.Length)
        {
            var found = text[searchFrom..].IndexOf(':');
            if (found < 0)
            {
                return false;
            }

            var colon = searchFrom + found;
            var before = text[..colon];
            var digits = before.Length - 1 - before.LastIndexOfAnyExceptInRange('0', '9');
            if (digits >= TelegramBotIdMinDigits)
            {
                var after = text[(colon + 1)..];
                var tokenEnd = after.IndexOfAnyExcept(TokenSecretChars);
                var tokenLength = tokenEnd < 0 ? after.Length : tokenEnd;
                if (tokenLength >= TelegramSecretMinChars)
                {
                    return true;
                }
            }

            searchFrom = colon + 1;
        }

        return false;
    }

    /// <summary>
    /// The passwords written inside a configuration value: <c>Password=</c>/<c>pwd=</c> settings
    /// (Npgsql, Redis) and the password of a URI's user info (<c>amqp://user:pass@host</c>).
    /// </summary>
    public static IEnumerable<string> EmbeddedPasswords(string value)
    {
        foreach (Match match in PasswordSetting().Matches(value))
        {
            var quoted = match.Groups["quoted"];
            yield return quoted.Success ? quoted.Value : match.Groups["bare"].Value;
        }

        foreach (Match match in UriUserInfoPassword().Matches(value))
        {
            var password = match.Groups["secret"].Value;
            yield return password;

            // Logs may show the URI decoded as well as percent-encoded.
            var decoded = Uri.UnescapeDataString(password);
            if (!string.Equals(decoded, password, StringComparison.Ordinal))
            {
                yield return decoded;
            }
        }
    }

    private static string MaskPasswordSetting(Match match)
    {
        var key = match.Groups["key"].Value;
        var quoted = match.Groups["quoted"];
        if (!quoted.Success)
        {
            return key + SecretRedactor.Mask;
        }

        var quote = match.Value[key.Length];
        return string.Concat(key, new string(quote, 1), SecretRedactor.Mask, new string(quote, 1));
    }

    // "Authorization: Bearer abc", "\"Authorization\":\"Basic xyz\"", "authorization=..."; the value runs to a quote or line end.
    [GeneratedRegex("""(?<prefix>\bauthorization["']?[ \t]*[:=][ \t]*["']?)[^"'\r\n]+""", Options | RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationHeader();

    // "Bearer <token>" anywhere (RFC 6750 token68 characters).
    [GeneratedRegex(@"(?<prefix>\bbearer\s+)[A-Za-z0-9\-._~+/]+=*", Options | RegexOptions.IgnoreCase)]
    private static partial Regex BearerToken();

    // Whatever sits between "/bot" and the next "/" of a Telegram Bot API URL, token-shaped or not.
    [GeneratedRegex(@"(?<=/bot)[^/\s]+(?=/)", Options | RegexOptions.IgnoreCase)]
    private static partial Regex TelegramBotPathSegment();

    // "<bot id>:<secret>", e.g. 123456789:AAH... (the id alone is not secret, but the pair is one credential).
    [GeneratedRegex(@"[0-9]{6,12}:[A-Za-z0-9_\-]{30,}", Options)]
    private static partial Regex TelegramBotToken();

    // "Password=...", "pwd = ...", ",password=..." (Redis), "\"password\":\"...\""; a bare value ends at ; , or whitespace.
    [GeneratedRegex("""(?<key>(?:password|pwd)["']?[ \t]*[:=][ \t]*)(?:"(?<quoted>(?:[^"\\]|\\.)*)"|'(?<quoted>[^']*)'|(?<bare>[^;,\s]+))""", Options | RegexOptions.IgnoreCase)]
    private static partial Regex PasswordSetting();

    // "scheme://user:secret@host": everything after the first colon of the user info up to the last "@".
    [GeneratedRegex(@"(?<prefix>://[^:/@\s]*:)(?<secret>[^\s/?#]+)(?=@)", Options)]
    private static partial Regex UriUserInfoPassword();

    // OpenAI-style keys: "sk-", "sk-proj-", ... followed by at least 16 key characters.
    [GeneratedRegex(@"\bsk-[A-Za-z0-9_\-]{16,}", Options)]
    private static partial Regex OpenAiApiKey();
}
