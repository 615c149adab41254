using Atlas.Gateway.Tests.Metrics;
using Atlas.Testing;
using Atlas.Testing.Sandbox;

namespace Atlas.Gateway.Tests;

/// <summary>
/// The gateway service boots on real servers, serves the default endpoints (readiness includes Telegram, answered by
/// a Sandbox bot) and answers Ping on the bus.
/// </summary>
[Collection(ExporterIsolation.Name)]
public sealed class GatewayServiceContract() : ServiceContractTests<Program>(
    "gateway", "gatewaydb", ["postgres", "redis", "rabbitmq", "telegram"], ["chats", "users", "group_memberships"])
{
    // One Sandbox for the contract's tests; it lives as long as the test process.
    private static readonly Lazy<Task<(SandboxHost Sandbox, string Token)>> Sandbox = new(StartSandboxAsync);

    protected override async Task<IReadOnlyDictionary<string, string?>> GetOverridesAsync()
    {
        var (sandbox, token) = await Sandbox.Value;
        return new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = token,
            ["Telegram:ApiBaseUrl"] = sandbox.BaseUrl.ToString(),
        };
    }

    private static async Task<(SandboxHost, string)> StartSandboxAsync()
    {
        var sandbox = await SandboxHost.StartAsync();
        var bot = await sandbox.Telegram.CreateBotAsync();
        return (sandbox, bot.Token);
    }
}
