using System.Globalization;
using System.Net;
using System.Text.Json;
using Atlas.AppHost.Hosting;
using Atlas.Testing;
using Atlas.Testing.Sandbox;

namespace Atlas.Gateway.Tests.Support;

/// <summary>
/// The gateway under test for the ingest tests: its own slice of the real servers, pointed at a Sandbox bot, with
/// short retry delays. With <c>kestrel: true</c> it listens on a real port of 127.0.0.1 so the Sandbox can deliver
/// webhooks to it. A second instance on the same <see cref="IsolatedResources"/> is "the same gateway restarted".
/// </summary>
public sealed class IngestGateway : IAsyncDisposable
{
    public const string AdminKey = "ingest-tests-admin-key";

    private IngestGateway(ServiceFactory<Program> factory, HttpClient client, Uri? publicUrl)
    {
        Factory = factory;
        Client = client;
        PublicUrl = publicUrl;
    }

    public ServiceFactory<Program> Factory { get; }

    /// <summary>A client for the gateway's HTTP endpoints.</summary>
    public HttpClient Client { get; }

    /// <summary>POSTs <paramref name="body"/> as JSON to an admin endpoint with the admin key.</summary>
    public async Task<HttpResponseMessage> AdminPostAsync(string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = System.Net.Http.Json.JsonContent.Create(body),
        };
        request.Headers.Add("X-Admin-Key", AdminKey);
        return await Client.SendAsync(request);
    }

    /// <summary>GET /admin/telegram/mode with the admin key (asserted 200).</summary>
    public async Task<JsonElement> GetTelegramModeAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/admin/telegram/mode", UriKind.Relative));
        request.Headers.Add("X-Admin-Key", AdminKey);
        using var response = await Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>Where the gateway listens when it runs on Kestrel.</summary>
    public Uri? PublicUrl { get; }

    public IServiceProvider Services => Factory.Services;

    /// <summary>
    /// Starts the gateway. <paramref name="settings"/> add to or override the defaults (polling mode, Sandbox bot
    /// <paramref name="token"/>, fast retries, admin key).
    /// </summary>
    public static async Task<IngestGateway> StartAsync(
        IsolatedResources resources, SandboxHost sandbox, string token, IReadOnlyDictionary<string, string?>? settings = null, bool kestrel = false)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(sandbox);
        var port = kestrel ? FreePort.Next() : 0;
        var configuration = new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = token,
            ["Telegram:ApiBaseUrl"] = sandbox.BaseUrl.ToString(),
            ["Telegram:Mode"] = "Polling",
            ["Telegram:PollingTimeoutSeconds"] = "2",
            ["Telegram:ReachabilityCacheDuration"] = "00:00:00.200",
            ["Telegram:Resilience:BaseDelay"] = "00:00:00.100",
            ["Telegram:Resilience:MaxDelay"] = "00:00:01",
            ["Gateway:AdminApiKey"] = AdminKey,
        };
        if (kestrel)
        {
            configuration["Telegram:WebhookBaseUrl"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var gateway = await Task.Run(() => Start(resources, configuration, port)).ConfigureAwait(false);
        try
        {
            await gateway.WaitForBusAsync().ConfigureAwait(false);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // Until its endpoints are bound the gateway rightly refuses updates (503 / a retried batch): wait for the bus.
    private async Task WaitForBusAsync()
    {
        await Eventually.PollAsync(
            async () =>
            {
                using var response = await Client.GetAsync(new Uri("/readyz", UriKind.Relative)).ConfigureAwait(false);
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
                return json.RootElement.GetProperty("checks").TryGetProperty("rabbitmq", out var rabbit)
                    ? rabbit.GetProperty("status").GetString()
                    : null;
            },
            status => status == "healthy",
            TimeSpan.FromSeconds(60)).ConfigureAwait(false);
    }

    private static IngestGateway Start(IsolatedResources resources, Dictionary<string, string?> configuration, int port)
    {
        var factory = new ServiceFactory<Program>("gatewaydb", resources, configuration);
        try
        {
            if (port == 0)
            {
                var client = factory.CreateClient();
                return new IngestGateway(factory, client, null);
            }

            factory.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
            factory.StartServer();
            var url = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
            return new IngestGateway(factory, new HttpClient { BaseAddress = url }, url);
        }
        catch
        {
            factory.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync().ConfigureAwait(false);
    }
}
