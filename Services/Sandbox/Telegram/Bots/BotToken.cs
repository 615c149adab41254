using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Atlas.Sandbox.Telegram.Bots;

/// <summary>
/// Telegram's token shape, "&lt;bot id&gt;:&lt;secret&gt;". The Sandbox knows only tokens of this shape, which also keeps
/// them recognisable to the log redactor wherever a URL carries one.
/// </summary>
internal static partial class BotToken
{
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    private const int SecretLength = 35;

    /// <summary>True for "&lt;6 to 12 digits&gt;:&lt;30 to 64 of A-Z a-z 0-9 _ -&gt;".</summary>
    public static bool IsWellFormed(string? token) => token is not null && Shape().IsMatch(token);

    /// <summary>The bot id a well-formed token starts with.</summary>
    public static long BotIdOf(string token) =>
        long.Parse(token.AsSpan(0, token.IndexOf(':', StringComparison.Ordinal)), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>A fresh token for a random ten-digit bot id.</summary>
    public static string Generate()
    {
        var botId = RandomNumberGenerator.GetInt32(1_000_000_000, int.MaxValue);
        return string.Concat(
            botId.ToString(CultureInfo.InvariantCulture),
            ":",
            RandomNumberGenerator.GetString(SecretAlphabet, SecretLength));
    }

    /// <summary>A fresh token for the bot <paramref name="botId"/> (what /revoke hands out).</summary>
    public static string Generate(long botId) => string.Concat(
        botId.ToString(CultureInfo.InvariantCulture), ":", RandomNumberGenerator.GetString(SecretAlphabet, SecretLength));

    [GeneratedRegex("^[0-9]{6,12}:[A-Za-z0-9_-]{30,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
