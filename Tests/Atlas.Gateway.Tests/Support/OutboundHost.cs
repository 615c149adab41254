using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Outbound;
using Atlas.Gateway.Telegram;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Atlas.Gateway.Tests.Support;

/// <summary>
/// Just the outbox and its sender (no web app, no bus, no database): real Redis under a key prefix, the real Bot API
/// client pointed at a Sandbox, and the <c>Gateway:Outbound</c> options a test chooses. Two hosts on the same prefix
/// share one outbox, which is how the restart tests hand over.
/// </summary>
internal sealed class OutboundHost : IAsyncDisposable
{
    private readonly IHost _host;

    private OutboundHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IOutbox Outbox => _host.Services.GetRequiredService<IOutbox>();

    public OutboundStore Store => _host.Services.GetRequiredService<OutboundStore>();

    public static async Task<OutboundHost> StartAsync(
        string redis, string keyPrefix, Uri apiBaseUrl, string botToken, IReadOnlyDictionary<string, string?>? outbound = null,
        TimeProvider? time = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis,
            ["Redis:KeyPrefix"] = keyPrefix,
            ["Telegram:BotToken"] = botToken,
            ["Telegram:ApiBaseUrl"] = apiBaseUrl.ToString(),
        };
        foreach (var (key, value) in outbound ?? new Dictionary<string, string?>())
        {
            settings[$"{OutboundOptions.SectionName}:{key}"] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(time ?? TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.AddRedisClient("redis");
        // What AddServiceDefaults adds beside Aspire's Redis client: the keyspace under the test's own prefix.
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IConnectionMultiplexer>().GetDatabase().WithKeyPrefix(keyPrefix));
        builder.AddTelegramBotApi();
        builder.AddOutbound();
        var host = builder.Build();
        await host.StartAsync();
        return new OutboundHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
