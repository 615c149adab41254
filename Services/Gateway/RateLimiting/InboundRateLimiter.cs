using Microsoft.Extensions.Options;

namespace Atlas.Gateway.RateLimiting;

/// <summary>
/// Inbound token buckets: one per user and one over all users (unless the tier has no overall limit), sized by the
/// tier in force (<see cref="RateLimitOptions.LimitsFor"/>). An over-limit user is reported as the first of a limit episode once; the episode ends
/// with the next message that passes. Buckets live in this instance's memory on the clock registered under
/// <see cref="ClockKey"/> (tests use a FakeTimeProvider); the tier is shared through <see cref="RateLimitTierStore"/>.
/// </summary>
public sealed class InboundRateLimiter(
    [FromKeyedServices(InboundRateLimiter.ClockKey)] TimeProvider time, RateLimitTierStore tiers, IOptions<RateLimitOptions> options)
{
    /// <summary>The key of the <see cref="TimeProvider"/> the buckets run on.</summary>
    public const string ClockKey = "rate-limiting";

    private const int PruneEvery = 1024;
    private readonly Lock _gate = new();
    private readonly Dictionary<long, UserBucket> _users = [];
    private TokenBucket? _overall;
    private RateLimitTier _tier;
    private bool _started;
    private int _checks;

    public async Task<RateLimitDecision> CheckAsync(long userId, CancellationToken cancellationToken)
    {
        var tier = await tiers.GetAsync(cancellationToken).ConfigureAwait(false);
        return Check(userId, tier);
    }

    /// <summary>Takes a token for <paramref name="userId"/> under <paramref name="tier"/>, or says which limit refused it.</summary>
    public RateLimitDecision Check(long userId, RateLimitTier tier)
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            var limits = options.Value.LimitsFor(tier);
            if (!_started)
            {
                _overall = OverallBucket(limits, now);
                _tier = tier;
                _started = true;
            }
            else if (tier != _tier)
            {
                _overall = OverallBucket(limits, now);
                foreach (var user in _users.Values)
                {
                    user.Bucket.Reconfigure(limits.PerUser, Capacity(limits.PerUser));
                }

                _tier = tier;
            }

            if (++_checks % PruneEvery == 0)
            {
                Prune(now);
            }

            if (!_users.TryGetValue(userId, out var state))
            {
                state = new UserBucket(new TokenBucket(limits.PerUser, Capacity(limits.PerUser), now));
                _users[userId] = state;
            }

            var scope = !state.Bucket.HasToken(now, time) ? "user" : _overall?.HasToken(now, time) == false ? "overall" : null;
            if (scope is null)
            {
                state.Bucket.Take();
                _overall?.Take();
                state.Notified = false;
                return new RateLimitDecision(true, null, false, tier);
            }

            var first = !state.Notified;
            state.Notified = true;
            return new RateLimitDecision(false, scope, first, tier);
        }
    }

    private double Capacity(double rate) => Math.Max(1, rate * options.Value.BurstSeconds);

    // The overall bucket for new limits: none when the tier has no overall limit, else the one in use resized.
    private TokenBucket? OverallBucket(TierLimits limits, long now)
    {
        if (!limits.HasOverallLimit)
        {
            return null;
        }

        if (_overall is null)
        {
            return new TokenBucket(limits.Overall, Capacity(limits.Overall), now);
        }

        _overall.Reconfigure(limits.Overall, Capacity(limits.Overall));
        return _overall;
    }

    // Users whose bucket is full again and who are not in a limit episode carry no state worth keeping.
    private void Prune(long now)
    {
        foreach (var (userId, state) in _users.ToList())
        {
            if (!state.Notified && state.Bucket.IsFull(now, time))
            {
                _users.Remove(userId);
            }
        }
    }

    private sealed class UserBucket(TokenBucket bucket)
    {
        public TokenBucket Bucket { get; } = bucket;

        public bool Notified { get; set; }
    }
}

/// <summary>The outcome of one inbound check: passed, or refused by the <see cref="Scope"/> (user/overall) limit.</summary>
public readonly record struct RateLimitDecision(bool Allowed, string? Scope, bool FirstInEpisode, RateLimitTier Tier);
