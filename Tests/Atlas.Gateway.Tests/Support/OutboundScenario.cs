using Atlas.Gateway.Outbound;
using Atlas.Testing;
using Atlas.Testing.Sandbox;

namespace Atlas.Gateway.Tests.Support;

/// <summary>
/// One outbound test's world: a new Sandbox bot with the limits the test wants, a Redis key prefix of its own, and an
/// <see cref="OutboundHost"/> (restartable on the same prefix) whose sender talks to that bot.
/// </summary>
internal sealed class OutboundScenario : IAsyncDisposable
{
    private readonly OutboundSandbox _fixture;
    private readonly IReadOnlyDictionary<string, string?> _options;
    private readonly TimeProvider? _time;

    private OutboundScenario(OutboundSandbox fixture, string token, string keyPrefix, IReadOnlyDictionary<string, string?> options, TimeProvider? time)
    {
        _fixture = fixture;
        Token = token;
        KeyPrefix = keyPrefix;
        _options = options;
        _time = time;
    }

    public string Token { get; }

    public string KeyPrefix { get; }

    public TelegramSandboxClient Telegram => _fixture.Sandbox.Telegram;

    /// <summary>The running host; null between <see cref="StopAsync"/> and <see cref="RestartAsync"/>.</summary>
    public OutboundHost? Host { get; private set; }

    public OutboundHost Running => Host ?? throw new InvalidOperationException("The outbound host is stopped.");

    public IOutbox Outbox => Running.Outbox;

    public OutboundStore Store => Running.Store;

    /// <summary>Starts a scenario; <paramref name="options"/> are <c>Gateway:Outbound</c> keys, <paramref name="limits"/> the Sandbox's (default: Telegram's).</summary>
    public static async Task<OutboundScenario> StartAsync(
        OutboundSandbox fixture, IReadOnlyDictionary<string, string?>? options = null, SandboxLimits? limits = null, TimeProvider? time = null,
        Uri? apiBaseUrl = null)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var bot = await fixture.Sandbox.Telegram.CreateBotAsync(TelegramBotToken.Create());
        if (limits is not null)
        {
            await fixture.Sandbox.Telegram.SetLimitsAsync(bot.Token, limits);
        }

        var scenario = new OutboundScenario(fixture, bot.Token, RealServers.NewKeyPrefix("outbound"), options ?? new Dictionary<string, string?>(), time);
        await scenario.RestartAsync(apiBaseUrl);
        return scenario;
    }

    /// <summary>Options that lift our own per-chat spacing (for tests about something else); the Sandbox is then unlimited too.</summary>
    public static Dictionary<string, string?> Fast(params (string Key, string? Value)[] more)
    {
        var options = new Dictionary<string, string?> { ["PerChatPerSecond"] = "0", ["PerGroupPerMinute"] = "0", ["GlobalPerSecond"] = "0" };
        foreach (var (key, value) in more)
        {
            options[key] = value;
        }

        return options;
    }

    /// <summary>Makes chats known to the Sandbox (a private chat for a positive id, a group for a negative one).</summary>
    public async Task AddChatsAsync(params long[] chatIds)
    {
        foreach (var chatId in chatIds)
        {
            await Telegram.PutChatAsync(Token, chatId, chatId > 0 ? "private" : "group", chatId > 0 ? null : "Group " + chatId);
        }
    }

    public Task<bool> EnqueueAsync(string key, long chatId, string text) =>
        Outbox.EnqueueAsync(new OutboundMessage(key, chatId, text), CancellationToken.None);

    /// <summary>All sendMessage calls so far (rejected ones included).</summary>
    public Task<IReadOnlyList<SandboxAction>> SendsAsync() => Telegram.GetActionsAsync(Token, method: "sendMessage");

    /// <summary>Waits until <paramref name="count"/> sendMessage calls succeeded; returns all sendMessage calls.</summary>
    public Task<IReadOnlyList<SandboxAction>> WaitForDeliveredAsync(int count, TimeSpan? timeout = null) =>
        Telegram.WaitForActionsAsync(Token, actions => actions.Count(a => a.Ok) >= count, "sendMessage", timeout: timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>The texts the bot sent to <paramref name="chatId"/>, in the order the chat shows them.</summary>
    /// <summary>
    /// Waits until the queue is empty. The Sandbox records a send before the sender pops the message from Redis, so
    /// the queue empties just after the last delivery is seen.
    /// </summary>
    public Task WaitForEmptyQueueAsync() =>
        Atlas.Testing.Eventually.PollAsync(() => Store.DepthAsync(CancellationToken.None), depth => depth == 0, TimeSpan.FromSeconds(10));

    public async Task<IReadOnlyList<string?>> TextsInAsync(long chatId) =>
        [.. (await Telegram.GetChatMessagesAsync(Token, chatId)).Where(m => m.FromBot).Select(m => m.Text)];

    /// <summary>Stops the host gracefully (sends in flight finish; the rest stays queued).</summary>
    public async Task StopAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
            Host = null;
        }
    }

    /// <summary>Starts a new host on the same Redis prefix (stopping the current one first).</summary>
    public async Task RestartAsync(Uri? apiBaseUrl = null)
    {
        await StopAsync();
        Host = await OutboundHost.StartAsync(
            _fixture.Servers.Redis, KeyPrefix, apiBaseUrl ?? _fixture.Sandbox.BaseUrl, Token, _options, _time);
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
