using Atlas.Gateway.State;
using StackExchange.Redis;

namespace Atlas.Gateway.Admin;

/// <summary>
/// The inbound freeze, shared by every instance and kept across restarts in Redis: key <c>gateway:admin:frozen</c>
/// holds the freeze's start (Unix ms, which also names the freeze episode); absent means not frozen. Each user is
/// told once per episode that the bot is paused (<c>gateway:admin:paused-notice:&lt;episode&gt;:&lt;user&gt;</c>).
/// While Redis is down the last state seen stays in force. The state is read at most once per
/// <see cref="CacheDuration"/>, not per update; a freeze or unfreeze through this instance applies at once, one
/// through another instance within that time.
/// </summary>
public sealed class InboundControl(RedisGuard redis, TimeProvider time)
{
    public static readonly RedisKey FrozenKey = "gateway:admin:frozen";

    /// <summary>How long a read of the freeze flag is reused.</summary>
    public static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan NoticeLifetime = TimeSpan.FromDays(7);
    private Known _known = new(FreezeState.Running, null);

    public async Task<FreezeState> GetAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var known = Volatile.Read(ref _known);
        if (known.ReadAt is { } readAt && time.GetElapsedTime(readAt) < CacheDuration)
        {
            return known.State;
        }

        return await ReadAsync().ConfigureAwait(false);
    }

    private async Task<FreezeState> ReadAsync()
    {
        var readAt = time.GetTimestamp();
        var (available, value) = await redis.TryAsync("freeze", async db => (long?)await db.StringGetAsync(FrozenKey).ConfigureAwait(false), null)
            .ConfigureAwait(false);
        if (!available)
        {
            return Volatile.Read(ref _known).State;
        }

        var state = value is { } since ? new FreezeState(true, DateTimeOffset.FromUnixTimeMilliseconds(since)) : FreezeState.Running;
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

    /// <summary>Unfreezes inbound; false when Redis is unavailable.</summary>
    public async Task<bool> UnfreezeAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var done = await redis.TryAsync("freeze", db => db.KeyDeleteAsync(FrozenKey)).ConfigureAwait(false);
        if (done)
        {
            Volatile.Write(ref _known, new Known(FreezeState.Running, time.GetTimestamp()));
        }

        return done;
    }

    /// <summary>True the first time <paramref name="userId"/> is seen during the freeze <paramref name="state"/>.</summary>
    public async Task<bool> ShouldNotifyAsync(FreezeState state, long userId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RedisKey key = $"gateway:admin:paused-notice:{state.Since?.ToUnixTimeMilliseconds()}:{userId}";
        var (_, first) = await redis.TryAsync("freeze-notice", db => db.StringSetAsync(key, 1, NoticeLifetime, When.NotExists), false)
            .ConfigureAwait(false);
        return first;
    }

    private sealed record Known(FreezeState State, long? ReadAt);
}

/// <summary>Whether inbound is frozen, and since when.</summary>
public sealed record FreezeState(bool Frozen, DateTimeOffset? Since)
{
    public static FreezeState Running { get; } = new(false, null);
}
