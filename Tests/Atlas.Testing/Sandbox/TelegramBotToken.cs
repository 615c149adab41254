using System.Globalization;
using System.Security.Cryptography;

namespace Atlas.Testing.Sandbox;

/// <summary>
/// Fake bot tokens of Telegram's shape ("&lt;bot id&gt;:&lt;35 characters&gt;"), made at run time so that no
/// token-shaped literal is ever committed.
/// </summary>
public static class TelegramBotToken
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    private const int SecretLength = 35;

    /// <summary>A new token; its bot id is <paramref name="botId"/> or a random ten-digit number.</summary>
    public static string Create(long? botId = null)
    {
        var id = botId ?? RandomNumberGenerator.GetInt32(1_000_000_000, int.MaxValue);
        return string.Concat(id.ToString(CultureInfo.InvariantCulture), ":", RandomNumberGenerator.GetString(Alphabet, SecretLength));
    }

    /// <summary>The bot id a token starts with.</summary>
    public static long BotIdOf(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return long.Parse(token.AsSpan(0, token.IndexOf(':', StringComparison.Ordinal)), NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
