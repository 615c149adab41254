using System.Net;
using Atlas.AppHost.Hosting;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.Benchmarks.Gateway;

/// <summary>
/// The gateway in-process on a real Kestrel port, against an in-process Sandbox and the real servers, configured
/// the way the AppHost configures it; logging kept to warnings so the console does not dominate the figures.
/// </summary>
internal sealed class GatewayBench : IAsyncDisposable
{
    private GatewayBench(SandboxHost sandbox, SandboxBot bot, ServiceFactory<Program> gateway, WebApplicationFactory<Program> host, Uri gatewayUrl)
    {
        Sandbox = sandbox;
        Bot = bot;
        Gateway = gateway;
        Services = host.Services;
        GatewayUrl = gatewayUrl;
    }

    public SandboxHost Sandbox { get; }

    public SandboxBot Bot { get; }

    public ServiceFactory<Program> Gateway { get; }

    /// <summary>The running gateway's services (with the benchmark's own additions, if any).</summary>
    public IServiceProvider Services { get; }

    public Uri GatewayUrl { get; }

    public static async Task<GatewayBench> StartAsync(
        string hint, SandboxLimits? limits, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var resources = await IsolatedResources.CreateAsync(hint);
        // The benchmarks read back every call the gateway made: room for more than the Sandbox's default 10,000 a bot.
        var sandbox = await SandboxHost.StartAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Sandbox:Telegram:MaxActionsPerBot"] = "1000000",
        });
        var bot = await sandbox.Telegram.CreateBotAsync();
        if (limits is not null)
        {
            await sandbox.Telegram.SetLimitsAsync(bot.Token, limits);
        }

        var port = FreePort.Next();
        var gatewayUrl = new Uri($"http://127.0.0.1:{port}/");
        var overrides = new Dictionary<string, string?>(settings)
        {
            ["Telegram:BotToken"] = bot.Token,
            ["Telegram:ApiBaseUrl"] = sandbox.BaseUrl.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            // Probes before the bus has started, and stopping hosts quickly, are expected here; keep the figures readable.
            ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None",
            ["Logging:LogLevel:MassTransit"] = "Error",
            ["Logging:LogLevel:Atlas.Gateway.Telegram.Mode"] = "Error",
        };
        var gateway = new ServiceFactory<Program>("gatewaydb", resources, overrides);
        var host = services is null ? gateway : gateway.WithWebHostBuilder(builder => builder.ConfigureTestServices(services));
        host.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        await Task.Run(host.StartServer);
        var listening = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.Count ?? 0;
        if (listening == 0)
        {
            throw new InvalidOperationException("The gateway started without a listening address.");
        }

        using var probe = new HttpClient { BaseAddress = gatewayUrl };
        await Eventually.PollAsync(
            async () => (await probe.GetAsync(new Uri("readyz", UriKind.Relative))).StatusCode,
            status => status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60));
        return new GatewayBench(sandbox, bot, gateway, host, gatewayUrl);
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
