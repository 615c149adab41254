using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.Testing.Sandbox;

/// <summary>
/// Atlas.Sandbox running in-process on a real Kestrel port of 127.0.0.1, so code under test reaches it over HTTP
/// exactly as it would reach Telegram (point its Bot API base URL at <see cref="BaseUrl"/>). Dispose to stop it.
/// </summary>
public sealed class SandboxHost : IAsyncDisposable
{
    private readonly Factory _factory;
    private readonly HttpClient _http;

    private SandboxHost(Factory factory, Uri baseUrl)
    {
        _factory = factory;
        BaseUrl = baseUrl;
        _http = new HttpClient { BaseAddress = baseUrl };
        Telegram = new TelegramSandboxClient(_http);
    }

    /// <summary>Where the Sandbox listens, e.g. http://127.0.0.1:41234/. The Bot API is at BaseUrl + "bot&lt;token&gt;/&lt;method&gt;".</summary>
    public Uri BaseUrl { get; }

    /// <summary>A client for the Telegram control API of this Sandbox.</summary>
    public TelegramSandboxClient Telegram { get; }

    /// <summary>The Sandbox's services (for a test that wants to look inside).</summary>
    public IServiceProvider Services => _factory.Services;

    /// <summary>
    /// Starts a Sandbox. <paramref name="settings"/> are configuration keys (e.g. "Sandbox:Telegram:Webhook:Timeout");
    /// <paramref name="configureServices"/> runs after the Sandbox's own registrations (e.g. to swap the TimeProvider).
    /// </summary>
    public static async Task<SandboxHost> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null,
        CancellationToken cancellationToken = default)
    {
        var factory = new Factory(settings, configureServices);
        try
        {
            factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
            await Task.Run(factory.StartServer, cancellationToken).ConfigureAwait(false);
            var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("The Sandbox started without a listening address.");
            return new SandboxHost(factory, new Uri(address.TrimEnd('/') + "/"));
        }
        catch
        {
            await factory.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The Bot API URL of <paramref name="method"/> for <paramref name="token"/>, as Telegram forms it.</summary>
    public Uri BotApiUrl(string token, string method) => new(BaseUrl, $"./bot{token}/{method}");

    public async ValueTask DisposeAsync()
    {
        Telegram.Dispose();
        _http.Dispose();
        await _factory.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class Factory(IReadOnlyDictionary<string, string?>? settings, Action<IServiceCollection>? configureServices)
        : WebApplicationFactory<Atlas.Sandbox.Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                builder.UseSetting(key, value);
            }

            if (configureServices is not null)
            {
                builder.ConfigureTestServices(configureServices);
            }
        }
    }
}
