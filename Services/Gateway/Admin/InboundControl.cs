using Atlas.Gateway.State;
using StackExchange.Redis;

namespace Atlas.Gateway.Admin;

/// <summary>
/// The inbound freeze, shared by every instance and kept across restarts in Redis: key <c>gateway:admin:frozen</c>
/// holds the freeze's start (Unix ms, which also names the freeze episode); absent means not frozen. Each user is
/// told once per episode that the bot is paused (<c>gateway:admin:paused-notice:&lt;episode&gt;:&lt;user&gt;</c>).
/// While Redis is down the last state seen stays in force.
/// </summary>
public sealed class InboundControl(RedisGuard redis, TimeProvider time)
{
    public static readonly RedisKey FrozenKey = "gateway:admin:frozen";
    private static readonly TimeSpan NoticeLifetime = TimeSpan.FromDays(7);
    private FreezeState _lastKnown = FreezeState.Running;

    public async Task<FreezeState> GetAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (available, value) = await redis.TryAsync("freeze", async db => (long?)await db.StringGetAsync(FrozenKey).ConfigureAwait(false), null)
            .ConfigureAwait(false);
        if (available)
        {
            _lastKnown = value is { } since ? new FreezeState(true, DateTimeOffset.FromUnixTimeMilliseconds(since)) : FreezeState.Running;
        }

        return _lastKnown;
    }

    /// <summary>Freezes inbound (keeps the start of a freeze already in force); false when Redis is unavailable.</summary>
    public async Task<bool> FreezeAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var since = time.GetUtcNow().ToUnixTimeMilliseconds();
        var done = await redis.TryAsync("freeze", db => db.StringSetAsync(FrozenKey, since, when: When.NotExists)).ConfigureAwait(false);
        return done && (await GetAsync(cancellationToken).ConfigureAwait(false)).Frozen;
    }

    /// <summary>Unfreezes inbound; false when Redis is unavailable.</summary>
    public async Task<bool> UnfreezeAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var done = await redis.TryAsync("freeze", db => db.KeyDeleteAsync(FrozenKey)).ConfigureAwait(false);
        if (done)
        {
            _lastKnown = FreezeState.Running;
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
}

/// <summary>Whether inbound is frozen, and since when.</summary>
public sealed record FreezeState(bool Frozen, DateTimeOffset? Since)
{
    public static FreezeState Running { get; } = new(false, null);
}
