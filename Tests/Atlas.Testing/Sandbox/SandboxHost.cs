using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.Testing.Sandbox;

/// <summary>
/// Atlas.Sandbox running in-process on a real Kestrel port of 127.0.0.1, so code under test reaches it over HTTP
/// exactly as it would reach Telegram (point its Bot API base URL at <see cref="BaseUrl"/>). Dispose to stop it.
/// </summary>
/// <remarks>
/// Built through <see cref="Atlas.Sandbox.Program.CreateApp"/> rather than WebApplicationFactory: the factory finds the
/// app's host through process-wide diagnostic events, and with many Sandboxes (and webhook receivers) starting and
/// stopping in parallel test classes, one factory now and then took another's host. Building the app directly is the
/// same app, with nothing shared between instances.
/// </remarks>
public sealed class SandboxHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http;

    private SandboxHost(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        _http = new HttpClient { BaseAddress = baseUrl };
        Telegram = new TelegramSandboxClient(_http);
    }

    /// <summary>Where the Sandbox listens, e.g. http://127.0.0.1:41234/. The Bot API is at BaseUrl + "bot&lt;token&gt;/&lt;method&gt;".</summary>
    public Uri BaseUrl { get; }

    /// <summary>A client for the Telegram control API of this Sandbox.</summary>
    public TelegramSandboxClient Telegram { get; }

    /// <summary>The Sandbox's services (for a test that wants to look inside).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a Sandbox in environment "Testing". <paramref name="settings"/> are configuration keys (e.g.
    /// "Sandbox:Telegram:Webhook:Timeout"); <paramref name="configureServices"/> runs after the Sandbox's own
    /// registrations (e.g. to swap the TimeProvider).
    /// </summary>
    public static async Task<SandboxHost> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null,
        CancellationToken cancellationToken = default)
    {
        var options = new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ApplicationName = typeof(Atlas.Sandbox.Program).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        };
        var app = Atlas.Sandbox.Program.CreateApp(options, builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
            builder.WebHost.ListenOnFreePort();
            configureServices?.Invoke(builder.Services);
        });
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return new SandboxHost(app, Loopback.BaseUrl(app));
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The Bot API URL of <paramref name="method"/> for <paramref name="token"/>, as Telegram forms it.</summary>
    public Uri BotApiUrl(string token, string method) => new(BaseUrl, $"./bot{token}/{method}");

    public async ValueTask DisposeAsync()
    {
        Telegram.Dispose();
        _http.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
