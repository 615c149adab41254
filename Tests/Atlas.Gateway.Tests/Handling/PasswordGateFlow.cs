using Atlas.Gateway.Locales;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using static Atlas.Gateway.Tests.Support.BotCultures;

namespace Atlas.Gateway.Tests.Handling;

/// <summary>
/// With the password gate on, a user must send the password once before anything else works; wrong attempts are
/// limited and end in a lockout; the password message is deleted; an authorization survives the loss of Redis.
/// </summary>
public sealed class PasswordGateFlow : IAsyncLifetime
{
    private readonly string _password = "open-" + Guid.NewGuid().ToString("N")[..10];
    private HandlingGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await HandlingGateway.StartAsync("handling-gate", Settings());

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Start_asks_for_the_password_and_other_commands_wait_for_it()
    {
        await _gateway.SayAsync(4601, "/start", "en", "Ann");
        var prompt = await _gateway.WaitForReplyAsync(4601, _ => true);
        await _gateway.SayAsync(4601, "/groups", "en");
        await _gateway.SayAsync(4601, "/help", "ru");

        var replies = await _gateway.WaitForRepliesAsync(4601, 3);
        prompt.Should().Be(BotTexts.Format(TextKeys.WelcomeGate, English, "Ann"));
        replies[1].Should().Be(BotTexts.Get(TextKeys.PasswordRequired, English));
        replies[2].Should().Be(BotTexts.Get(TextKeys.Help, Russian) + "\n\n" + BotTexts.Get(TextKeys.HelpGateNote, Russian));
    }

    [Fact]
    public async Task Wrong_attempts_are_limited_then_the_user_is_locked_out_even_with_the_right_password()
    {
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await _gateway.SayAsync(4602, "guess-" + attempt, "ru");
            await _gateway.WaitForRepliesAsync(4602, attempt);
        }

        await _gateway.SayAsync(4602, _password, "ru");

        var replies = await _gateway.WaitForRepliesAsync(4602, 4);
        replies.Should().Equal(
            BotTexts.Format(TextKeys.PasswordWrong, Russian, 2),
            BotTexts.Format(TextKeys.PasswordWrong, Russian, 1),
            BotTexts.Format(TextKeys.PasswordLocked, Russian, 15),
            BotTexts.Format(TextKeys.PasswordLocked, Russian, 15));
        var deleted = await _gateway.Telegram.WaitForActionsAsync(_gateway.Token, "deleteMessage", 4);
        deleted.Should().OnlyContain(a => a.Parameters["chat_id"]!.GetValue<long>() == 4602);
        await _gateway.SayAsync(4602, "/groups", "ru");
        (await _gateway.WaitForRepliesAsync(4602, 5))[4].Should().Be(BotTexts.Get(TextKeys.PasswordRequired, Russian));
    }

    [Fact]
    public async Task The_right_password_unlocks_once_is_deleted_and_survives_the_loss_of_redis()
    {
        var sent = await _gateway.SayAsync(4603, "  " + _password + " ", "en");
        (await _gateway.WaitForReplyAsync(4603, _ => true)).Should().Be(BotTexts.Get(TextKeys.PasswordAccepted, English));
        var deletion = (await _gateway.Telegram.WaitForActionsAsync(_gateway.Token, "deleteMessage", 1)).Single();
        deletion.Parameters["message_id"]!.GetValue<long>().Should().Be(sent.MessageId);
        deletion.Ok.Should().BeTrue();

        await _gateway.SayAsync(4603, "/groups", "en");
        (await _gateway.WaitForRepliesAsync(4603, 2))[1].Should().Be(BotTexts.Get(TextKeys.GroupsNone, English));

        // The same gateway restarted with an empty Redis (a new key prefix): the authorization is in PostgreSQL.
        await _gateway.StopGatewayAsync();
        await using var restarted = await HandlingGateway.StartAsync(
            "handling-gate", Settings(("Redis:KeyPrefix", RealServersKeyPrefix())), resources: _gateway.Resources,
            sandbox: _gateway.Sandbox, token: _gateway.Token);
        await restarted.SayAsync(4603, "/help", "en");
        (await restarted.WaitForReplyAsync(4603, t => t.StartsWith(BotTexts.Get(TextKeys.Help, English)[..20], StringComparison.Ordinal)))
            .Should().Be(BotTexts.Get(TextKeys.Help, English), "an authorized user gets help without the password note");
    }

    private Dictionary<string, string?> Settings(params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            // The seed's environment names: LUKA_PASSWORD_ENABLED=1 and LUKA_PASSWORD.
            ["LUKA_PASSWORD_ENABLED"] = "1",
            ["LUKA_PASSWORD"] = _password,
            ["Gateway:PasswordGate:MaxAttempts"] = "3",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static string RealServersKeyPrefix() => Atlas.Testing.RealServers.NewKeyPrefix("handling-gate-restart");
}
