using Atlas.AppHost.Commands;
using Atlas.Testing.Sandbox;

namespace Atlas.IntegrationTests;

/// <summary>The gateway's "Rotate bot token" dashboard command on the running stack, where the Sandbox stands in for @BotFather.</summary>
[Collection("stack")]
public sealed class BotTokenRotationCommand(RunningAtlas stack)
{
    private DistributedApplication App => stack.App;

    [Fact]
    public async Task Rotates_through_the_Sandbox_keeps_the_bot_answering_and_rotates_back_to_a_given_token()
    {
        var original = await stack.SecretAsync("sandbox-bot-token");
        using var telegram = new TelegramSandboxClient(App.GetEndpoint("sandbox", "http"));

        var issued = await App.ResourceCommands.ExecuteCommandAsync("gateway", BotTokenCommand.Name, Token(""));
        issued.Success.Should().BeTrue(issued.Message);
        (await telegram.CallBotApiAsync(original, "getMe")).StatusCode.Should().Be(401, "the Sandbox revoked the old token");
        var current = (await telegram.GetBotsAsync()).Single(b => b.Id == TelegramBotToken.BotIdOf(original)).Token;
        issued.Message.Should().NotContain(current);
        await AnswersHelpAsync(telegram, current, 4343);

        var back = await App.ResourceCommands.ExecuteCommandAsync("gateway", BotTokenCommand.Name, Token(original));
        back.Success.Should().BeTrue(back.Message);
        (await telegram.CallBotApiAsync(current, "getMe")).StatusCode.Should().Be(401);
        await AnswersHelpAsync(telegram, original, 4344);
    }

    private static InteractionInputCollection Token(string value) =>
        new([new InteractionInput { Name = "token", InputType = InputType.SecretText, Value = value }]);

    private static async Task AnswersHelpAsync(TelegramSandboxClient telegram, string token, long userId)
    {
        var sent = await telegram.SendMessageAsync(token, new SandboxUserMessage { UserId = userId, FirstName = "Ada", LanguageCode = "en", Text = "/help" });
        var replies = await telegram.WaitForActionsAsync(token, actions => actions.Any(a => a.Ok && a.Parameters["chat_id"]?.GetValue<long>() == userId),
            method: "sendMessage", timeout: TimeSpan.FromSeconds(60));
        replies.Should().Contain(a => a.Ok && a.Parameters["chat_id"]!.GetValue<long>() == userId, $"update {sent.UpdateId} (/help) is answered with the token in use");
    }
}
