using Atlas.Gateway.State;
using StackExchange.Redis;

namespace Atlas.Gateway.Admin;

/// <summary>
/// The inbound freeze, shared by every instance and kept across restarts in Redis. Key <c>gateway:admin:frozen</c>
/// holds the freeze's start (Unix ms, which also names the freeze episode); an unfreeze moves that value to
/// <c>gateway:admin:draining</c> (the held updates are being replayed) and the replayer deletes it once the hold is
/// empty (<see cref="FinishDrainAsync"/>); neither key means running. Each user is told once per episode that the bot
/// is paused (<c>gateway:admin:paused-notice:&lt;episode&gt;:&lt;user&gt;</c>). While Redis is down the last state seen
/// stays in force. While running, the state is read at most once per <see cref="CacheDuration"/>, not per update: a
/// freeze through this instance applies at once, one through another instance within that time. While frozen or
/// draining it is read for every update, so an unfreeze or the end of a drain anywhere applies at once.
/// </summary>
public sealed class InboundControl(RedisGuard redis, TimeProvider time)
{
    public static readonly RedisKey FrozenKey = "gateway:admin:frozen";
    public static readonly RedisKey DrainingKey = "gateway:admin:draining";

    /// <summary>How long a read of the running state is reused.</summary>
    public static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan NoticeLifetime = TimeSpan.FromDays(7);

    // The frozen episode becomes the draining one (a freeze during a drain replaces the older episode).
    private const string UnfreezeScript = """
        local since = redis.call('GET', KEYS[1])
        if since then
          redis.call('SET', KEYS[2], since)
          redis.call('DEL', KEYS[1])
        end
        return 1
        """;

    // Ends the drain of episode ARGV[1] unless inbound was frozen again or another episode began draining meanwhile.
    private const string FinishDrainScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
        redis.call('DEL', KEYS[2])
        return 1
        """;

    private Known _known = new(FreezeState.Running, null);

    /// <summary>
    /// The state for handling an update: "running" seen within <see cref="CacheDuration"/> is reused; "frozen" and
    /// "draining" are always read again.
    /// </summary>
    public async Task<FreezeState> GetAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var known = Volatile.Read(ref _known);
        if (known.State.Phase == FreezePhase.Running && known.ReadAt is { } readAt && time.GetElapsedTime(readAt) < CacheDuration)
        {
            return known.State;
        }

        return await ReadAsync().ConfigureAwait(false);
    }

    /// <summary>The state as Redis has it now (the ops API's status, the replayer); the last one seen while Redis is away.</summary>
    public Task<FreezeState> GetCurrentAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ReadAsync();
    }

    private async Task<FreezeState> ReadAsync()
    {
        var readAt = time.GetTimestamp();
        var (available, values) = await redis.TryAsync<RedisValue[]?>(
            "freeze", async db => await db.StringGetAsync([FrozenKey, DrainingKey]).ConfigureAwait(false), null).ConfigureAwait(false);
        if (!available || values is not { Length: 2 })
        {
            return Volatile.Read(ref _known).State;
        }

        // (A missing key reads as null, which RedisValue would parse as 0.)
        var state = !values[0].IsNull ? new FreezeState(FreezePhase.Frozen, DateTimeOffset.FromUnixTimeMilliseconds((long)values[0]))
            : !values[1].IsNull ? new FreezeState(FreezePhase.Draining, DateTimeOffset.FromUnixTimeMilliseconds((long)values[1]))
            : FreezeState.Running;
        Volatile.Write(ref _known, new Known(state, readAt));
        return state;
    }

    /// <summary>Freezes inbound (keeps the start of a freeze already in force); false when Redis is unavailable.</summary>
    public async Task<bool> FreezeAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var since = time.GetUtcNow().ToUnixTimeMilliseconds();
        var done = await redis.TryAsync("freeze", db => db.StringSetAsync(FrozenKey, since, when: When.NotExists)).ConfigureAwait(false);
        return done && (await ReadAsync().ConfigureAwait(false)).Frozen;
    }

    /// <summary>
    /// Unfreezes inbound: the held updates are replayed (draining) before the state is running again; false when Redis
    /// is unavailable.
    /// </summary>
    public async Task<bool> UnfreezeAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var done = await redis.TryAsync("freeze", db => db.ScriptEvaluateAsync(UnfreezeScript, [FrozenKey, DrainingKey])).ConfigureAwait(false);
        if (done)
        {
            await ReadAsync().ConfigureAwait(false);
            Unfrozen?.Invoke();
        }

        return done;
    }

    /// <summary>Ends the drain of <paramref name="state"/>'s episode (the hold is empty): true when the state is running now.</summary>
    public async Task<bool> FinishDrainAsync(FreezeState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        cancellationToken.ThrowIfCancellationRequested();
        var episode = state.Since?.ToUnixTimeMilliseconds() ?? 0;
        var (_, finished) = await redis.TryAsync(
            "freeze", async db => (long)await db.ScriptEvaluateAsync(FinishDrainScript, [FrozenKey, DrainingKey], [episode]).ConfigureAwait(false) == 1,
            false).ConfigureAwait(false);
        if (finished)
        {
            Volatile.Write(ref _known, new Known(FreezeState.Running, time.GetTimestamp()));
        }

        return finished;
    }

    /// <summary>Raised after an unfreeze through this instance, so its replayer starts at once.</summary>
    public event Action? Unfrozen;

    /// <summary>True the first time <paramref name="userId"/> is seen during the freeze <paramref name="state"/>.</summary>
    public async Task<bool> ShouldNotifyAsync(FreezeState state, long userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        cancellationToken.ThrowIfCancellationRequested();
        RedisKey key = $"gateway:admin:paused-notice:{state.Since?.ToUnixTimeMilliseconds()}:{userId}";
        var (_, first) = await redis.TryAsync("freeze-notice", db => db.StringSetAsync(key, 1, NoticeLifetime, When.NotExists), false)
            .ConfigureAwait(false);
        return first;
    }

    private sealed record Known(FreezeState State, long? ReadAt);
}

/// <summary>Running, frozen (ordinary users' updates are held), or draining (the held updates are being replayed).</summary>
public enum FreezePhase
{
    Running = 0,
    Frozen = 1,
    Draining = 2,
}

/// <summary>Where inbound stands, and since when the freeze episode (frozen or draining) began.</summary>
public sealed record FreezeState(FreezePhase Phase, DateTimeOffset? Since)
{
    public static FreezeState Running { get; } = new(FreezePhase.Running, null);

    public bool Frozen => Phase == FreezePhase.Frozen;

    public bool Draining => Phase == FreezePhase.Draining;
}
