using System.Text.Json;
using System.Text.Json.Nodes;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Telegram.Api;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.Gateway.Tests.Support;

/// <summary>
/// The whole gateway for the handling tests: its own slice of the real servers, a Sandbox bot it polls, an admin
/// (<see cref="AdminId"/>) and an ops key. Users write through the Sandbox; what the bot did is read back from the
/// Sandbox's action log. A second gateway on the same <see cref="Resources"/> is "the same gateway restarted".
/// </summary>
public sealed class HandlingGateway : IAsyncDisposable
{
    public const long AdminId = 900_000_001;
    public const string AdminKey = "handling-tests-admin-key";

    private readonly ServiceFactory<Program> _factory;
    private readonly WebApplicationFactory<Program> _host;
    private readonly bool _ownsSandbox;
    private bool _stopped;

    private HandlingGateway(
        IsolatedResources resources, SandboxHost sandbox, bool ownsSandbox, string token, ServiceFactory<Program> factory,
        WebApplicationFactory<Program> host)
    {
        Resources = resources;
        Sandbox = sandbox;
        _ownsSandbox = ownsSandbox;
        Token = token;
        _factory = factory;
        _host = host;
        Client = host.CreateClient();
        Client.DefaultRequestHeaders.Add("X-Admin-Key", AdminKey);
        Metrics = new GatewayMetricsProbe(host.Services);
    }

    public IsolatedResources Resources { get; }

    public SandboxHost Sandbox { get; }

    public TelegramSandboxClient Telegram => Sandbox.Telegram;

    public string Token { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>A client for the gateway's HTTP endpoints, with the ops key.</summary>
    public HttpClient Client { get; }

    public GatewayMetricsProbe Metrics { get; }

    /// <summary>
    /// Starts a gateway; <paramref name="settings"/> add to or override the defaults. Pass <paramref name="resources"/>
    /// and <paramref name="sandbox"/> + <paramref name="token"/> of another gateway to restart "the same" one.
    /// </summary>
    public static async Task<HandlingGateway> StartAsync(
        string hint,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        IsolatedResources? resources = null,
        SandboxHost? sandbox = null,
        string? token = null,
        bool waitUntilReady = true)
    {
        resources ??= await IsolatedResources.CreateAsync(hint);
        var ownsSandbox = sandbox is null;
        sandbox ??= await SandboxHost.StartAsync();
        token ??= (await sandbox.Telegram.CreateBotAsync(TelegramBotToken.Create(), "atlas_test_bot", "Atlas")).Token;
        var configuration = new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = token,
            ["Telegram:ApiBaseUrl"] = sandbox.BaseUrl.ToString(),
            ["Telegram:Mode"] = "Polling",
            ["Telegram:PollingTimeoutSeconds"] = "1",
            ["Gateway:AdminApiKey"] = AdminKey,
            ["Logging:LogLevel:Atlas"] = "Debug",
            ["Gateway:Admins"] = AdminId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Bursts of up to 10 s worth of messages pass, so only the rate-limit tests meet the limits.
            ["Gateway:RateLimits:BurstSeconds"] = "10",
            ["Gateway:Requests:ChatTimeout"] = "00:00:03",
            ["Gateway:Requests:SearchTimeout"] = "00:00:03",
            ["Gateway:Requests:TasksTimeout"] = "00:00:03",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var factory = new ServiceFactory<Program>("gatewaydb", resources, configuration);
        var host = services is null ? factory : factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services));
        try
        {
            await Task.Run(() => _ = host.Server);
            var gateway = new HandlingGateway(resources, sandbox, ownsSandbox, token, factory, host);
            if (waitUntilReady)
            {
                // Updates polled before the bus has bound its queues on a fresh virtual host would be lost, so users
                // only start writing once the gateway reports ready.
                // A timeout names the checks that were not healthy (the last /readyz body).
                await Eventually.PollAsync(
                    async () =>
                    {
                        using var response = await gateway.Client.GetAsync(new Uri("/readyz", UriKind.Relative));
                        return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
                    },
                    ready => ready.StatusCode == System.Net.HttpStatusCode.OK,
                    TimeSpan.FromSeconds(60));
            }

            return gateway;
        }
        catch
        {
            await host.DisposeAsync();
            await factory.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client for the gateway's HTTP endpoints without the ops key.</summary>
    public HttpClient CreateClientWithoutKey() => _host.CreateClient();

    /// <summary>User <paramref name="userId"/> writes <paramref name="text"/> to the bot in private.</summary>
    public Task<SandboxInjectedMessage> SayAsync(long userId, string text, string? languageCode = "en", string firstName = "Ann") =>
        Telegram.SendMessageAsync(Token, new SandboxUserMessage { UserId = userId, Text = text, LanguageCode = languageCode, FirstName = firstName });

    /// <summary>User <paramref name="userId"/> writes in group <paramref name="chatId"/>.</summary>
    public Task<SandboxInjectedMessage> SayInGroupAsync(long chatId, long userId, string text, string title = "Team room", string? username = null) =>
        Telegram.SendMessageAsync(Token, new SandboxUserMessage
        {
            ChatId = chatId, ChatType = "supergroup", ChatTitle = title, UserId = userId, Text = text, Username = username, FirstName = "Bob",
        });

    /// <summary>The texts the bot sent to <paramref name="chatId"/>, oldest first (sendMessage calls that succeeded).</summary>
    public async Task<IReadOnlyList<string>> RepliesToAsync(long chatId) =>
        [.. (await Telegram.GetActionsAsync(Token, method: "sendMessage"))
            .Where(a => a.Ok && a.Parameters["chat_id"]?.GetValue<long>() == chatId)
            .Select(a => a.Parameters["text"]?.GetValue<string>() ?? "")];

    /// <summary>Waits until the bot has sent at least <paramref name="count"/> messages to <paramref name="chatId"/>; returns them all.</summary>
    public Task<IReadOnlyList<string>> WaitForRepliesAsync(long chatId, int count = 1, TimeSpan? timeout = null) =>
        Eventually.PollAsync(() => RepliesToAsync(chatId), texts => texts.Count >= count, timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>Waits for a reply to <paramref name="chatId"/> that satisfies <paramref name="match"/>.</summary>
    public async Task<string> WaitForReplyAsync(long chatId, Func<string, bool> match, TimeSpan? timeout = null)
    {
        var texts = await Eventually.PollAsync(() => RepliesToAsync(chatId), texts => texts.Any(match), timeout ?? TimeSpan.FromSeconds(30));
        return texts.First(match);
    }

    /// <summary>What <c>GET /admin/status</c> answers now.</summary>
    public async Task<JsonElement> StatusAsync()
    {
        using var status = JsonDocument.Parse(await Client.GetStringAsync(new Uri("/admin/status", UriKind.Relative)));
        return status.RootElement.Clone();
    }

    /// <summary>Waits until <c>GET /admin/status</c> satisfies <paramref name="done"/>.</summary>
    public Task<JsonElement> WaitForStatusAsync(Func<JsonElement, bool> done, TimeSpan? timeout = null) =>
        Eventually.PollAsync(StatusAsync, done, timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>Calls the update handler directly with an update as the Sandbox builds it (for gateways that cannot poll).</summary>
    public Task HandleDirectlyAsync(JsonObject update) =>
        Services.GetRequiredService<IUpdateHandler>().HandleAsync(
            update.Deserialize<Update>(TelegramJson.Options) ?? throw new InvalidOperationException("Not an update."), CancellationToken.None);

    /// <summary>Stops this gateway but keeps the Sandbox running (for a restart test); DisposeAsync later stops the Sandbox.</summary>
    public async Task StopGatewayAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        Metrics.Dispose();
        Client.Dispose();
        await _host.DisposeAsync();
        if (!ReferenceEquals(_host, _factory))
        {
            await _factory.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopGatewayAsync();
        if (_ownsSandbox)
        {
            await Sandbox.DisposeAsync();
        }
    }
}
