using Atlas.Gateway.Tests.Support;
using Atlas.Testing.Sandbox;

namespace Atlas.Gateway.Tests.Handling;

/// <summary>The command menu is set through the gateway's Telegram pipeline: a Telegram that fails at first only delays it.</summary>
public sealed class CommandMenuRetries
{
    [Fact]
    public async Task The_menu_is_set_after_Telegram_failed_the_first_calls()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        var bot = await sandbox.Telegram.CreateBotAsync(TelegramBotToken.Create(), "atlas_test_bot", "Atlas");
        await sandbox.Telegram.AddFaultAsync(bot.Token, new SandboxFault("setMyCommands", 502, Description: "Bad Gateway", Count: 2));

        await using var gateway = await HandlingGateway.StartAsync("handling-menu-retry", sandbox: sandbox, token: bot.Token);

        var calls = await sandbox.Telegram.WaitForActionsAsync(bot.Token, "setMyCommands", 4, timeout: TimeSpan.FromSeconds(30));
        calls.Take(2).Should().OnlyContain(a => !a.Ok, "the first two calls met the fault");
        calls.Skip(2).Should().OnlyContain(a => a.Ok);
        calls.Skip(2).Select(a => a.Parameters["language_code"]?.GetValue<string>()).Should().BeEquivalentTo([null, "ru"]);
    }
}
