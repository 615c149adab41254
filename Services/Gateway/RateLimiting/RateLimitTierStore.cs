using Atlas.Gateway.State;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atlas.Gateway.RateLimiting;

/// <summary>
/// The tier in force, shared by every gateway instance through Redis key <c>gateway:ratelimit:tier</c> (absent: the
/// configured <see cref="RateLimitOptions.Tier"/>). While Redis is down the last tier seen stays in force.
/// </summary>
public sealed class RateLimitTierStore(RedisGuard redis, IOptions<RateLimitOptions> options)
{
    public static readonly RedisKey Key = "gateway:ratelimit:tier";
    private RateLimitTier? _lastKnown;

    public RateLimitTier Configured => options.Value.Tier;

    public async Task<RateLimitTier> GetAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (available, value) = await redis.TryAsync("ratelimit-tier", async db => (string?)await db.StringGetAsync(Key).ConfigureAwait(false), null)
            .ConfigureAwait(false);
        if (!available)
        {
            return _lastKnown ?? Configured;
        }

        var tier = TierLimits.TryParse(value, out var stored) ? stored : Configured;
        _lastKnown = tier;
        return tier;
    }

    /// <summary>Switches the tier for every instance; false when Redis is unavailable (nothing changed).</summary>
    public async Task<bool> SetAsync(RateLimitTier tier, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var done = await redis.TryAsync("ratelimit-tier", db => db.StringSetAsync(Key, TierLimits.Name(tier))).ConfigureAwait(false);
        if (done)
        {
            _lastKnown = tier;
        }

        return done;
    }
}
