using Atlas.LlmRouter.Diagnostics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atlas.LlmRouter.Routing;

/// <summary>
/// The rate-limited switch: when on, questions go straight to the rule-based answer. It starts from
/// <c>LLM_RATE_LIMITED</c> or <c>LlmRouter:RateLimited</c>; the admin API (and the dashboard command that calls it)
/// changes it at run time. The run-time value lives in Redis (<c>llmrouter:rate-limited</c>) so every instance
/// agrees; each instance re-reads it at most once a second.
/// </summary>
public sealed class RateLimitSwitch(
    IDatabase redis, IOptionsMonitor<RoutingOptions> options, IConfiguration configuration, TimeProvider time, ILogger<RateLimitSwitch> logger)
{
    public static readonly RedisKey Key = "llmrouter:rate-limited";
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    private readonly Lock _sync = new();
    private bool? _override;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    /// <summary>The value from configuration alone (environment variable or setting).</summary>
    public bool Configured => options.CurrentValue.RateLimited
        || string.Equals(configuration["LLM_RATE_LIMITED"], "true", StringComparison.OrdinalIgnoreCase);

    public async Task<bool> IsOnAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = time.GetUtcNow();
        lock (_sync)
        {
            if (now - _readAt < Refresh)
            {
                return _override ?? Configured;
            }
        }

        bool? stored = null;
        try
        {
            var value = await redis.StringGetAsync(Key).ConfigureAwait(false);
            stored = value.HasValue ? value == "1" : null;
        }
        catch (RedisException exception)
        {
            LlmRouterLog.RedisUnavailable(logger, exception, "rate-limited switch");
        }

        lock (_sync)
        {
            _override = stored;
            _readAt = now;
            return _override ?? Configured;
        }
    }

    /// <summary>Sets the run-time value for every instance; false when Redis did not take it.</summary>
    public async Task<bool> SetAsync(bool on, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await redis.StringSetAsync(Key, on ? "1" : "0").ConfigureAwait(false);
        }
        catch (RedisException exception)
        {
            LlmRouterLog.RedisUnavailable(logger, exception, "rate-limited switch");
            return false;
        }

        lock (_sync)
        {
            _override = on;
            _readAt = time.GetUtcNow();
        }

        return true;
    }
}
