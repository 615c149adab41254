namespace Atlas.ServiceDefaults.Tests.Redaction;

/// <summary>Made-up secrets shaped like the real ones.</summary>
internal static class TestSecrets
{
    public const string BotToken = "7012345678:AAFakeTokenForTestsOnly_0123456789abc";

    public const string BotUrl = "https://api.telegram.org/bot" + BotToken + "/getMe";

    public const string RedactedBotUrl = "https://api.telegram.org/bot***/getMe";
}
