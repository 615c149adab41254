using System.Text.Json.Nodes;
using Atlas.Testing.Sandbox;

namespace Atlas.Sandbox.Tests;

/// <summary>One Sandbox for a test class; each test makes its own bots, so tests do not see each other.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private SandboxHost? _host;

    public SandboxHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public TelegramSandboxClient Telegram => Host.Telegram;

    public async Task InitializeAsync() => _host = await SandboxHost.StartAsync(new Dictionary<string, string?>
    {
        ["Sandbox:Telegram:Webhook:Timeout"] = "00:00:01",
        ["Sandbox:Telegram:Webhook:FirstRetryDelay"] = "00:00:00.050",
        ["Sandbox:Telegram:Webhook:MaxRetryDelay"] = "00:00:00.200",
    });

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    /// <summary>A new bot without send limits, so only tests about limits meet them.</summary>
    public async Task<SandboxBot> NewBotAsync()
    {
        var bot = await Telegram.CreateBotAsync();
        await Telegram.SetLimitsAsync(bot.Token, SandboxLimits.Unlimited);
        return bot;
    }

    /// <summary>A new bot and a private chat with user <paramref name="userId"/> that wrote to it once.</summary>
    public async Task<SandboxBot> NewBotWithPrivateChatAsync(long userId)
    {
        var bot = await NewBotAsync();
        await Telegram.SendMessageAsync(bot.Token, userId, "hello");
        return bot;
    }

    public Task<BotApiResponse> CallAsync(SandboxBot bot, string method, JsonObject? parameters = null) =>
        Telegram.CallBotApiAsync(bot.Token, method, parameters);
}
