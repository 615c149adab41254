using System.Globalization;
using Atlas.LlmRouter.Diagnostics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atlas.LlmRouter.Conversation;

/// <summary>
/// Per-user daily quotas (off by default): hash <c>llmrouter:quota:&lt;userId&gt;:&lt;yyyyMMdd&gt;</c> with fields
/// <c>requests</c> and <c>tokens</c>, expiring after the UTC day. Without Redis nobody is limited.
/// </summary>
public sealed class UserQuotas(IDatabase redis, IOptionsMonitor<QuotaOptions> options, TimeProvider time, ILogger<UserQuotas> logger)
{
    /// <summary>Counts one request; returns when the quota resets if the user is past it, else null.</summary>
    public async Task<DateTimeOffset?> TryStartAsync(long userId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var settings = options.CurrentValue;
        if (!settings.Enabled || userId == 0)
        {
            return null;
        }

        var (key, resetsAt) = KeyFor(userId);
        try
        {
            var tokens = await redis.HashGetAsync(key, "tokens").ConfigureAwait(false);
            var requests = await redis.HashIncrementAsync(key, "requests").ConfigureAwait(false);
            await redis.KeyExpireAsync(key, (resetsAt + TimeSpan.FromHours(1)).UtcDateTime).ConfigureAwait(false);
            return requests > settings.RequestsPerDay || (long)tokens >= settings.TokensPerDay ? resetsAt : null;
        }
        catch (RedisException exception)
        {
            LlmRouterLog.RedisUnavailable(logger, exception, "quota");
            return null;
        }
    }

    public async Task AddTokensAsync(long userId, long tokens, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!options.CurrentValue.Enabled || userId == 0 || tokens <= 0)
        {
            return;
        }

        try
        {
            await redis.HashIncrementAsync(KeyFor(userId).Key, "tokens", tokens).ConfigureAwait(false);
        }
        catch (RedisException exception)
        {
            LlmRouterLog.RedisUnavailable(logger, exception, "quota");
        }
    }

    private (RedisKey Key, DateTimeOffset ResetsAt) KeyFor(long userId)
    {
        var now = time.GetUtcNow();
        var day = new DateTimeOffset(now.Year, now.Month, now.Day, 0, 0, 0, TimeSpan.Zero);
        return (string.Create(CultureInfo.InvariantCulture, $"llmrouter:quota:{userId}:{day:yyyyMMdd}"), day.AddDays(1));
    }
}
