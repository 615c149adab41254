using Atlas.Gateway.Handling;
using Atlas.Gateway.Telegram.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace Atlas.Gateway.Telegram;

/// <summary>
/// Readiness entry <c>telegram</c>: getMe answered. The answer is cached for
/// <see cref="TelegramOptions.ReachabilityCacheDuration"/> so probes do not spend Telegram's rate limit; a failed
/// answer only for <see cref="TelegramOptions.ReachabilityFailureCacheDuration"/>, so readiness returns soon after
/// Telegram does.
/// </summary>
internal sealed class TelegramReachabilityCheck(
    TelegramBot telegram, BotIdentity identity, IOptions<TelegramOptions> options, TimeProvider time) : IHealthCheck, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HealthCheckResult? _cached;
    private DateTimeOffset _cachedAt;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is { } cached && time.GetUtcNow() - _cachedAt < TrustFor(cached))
            {
                return cached;
            }

            _cached = await ProbeAsync(cancellationToken).ConfigureAwait(false);
            _cachedAt = time.GetUtcNow();
            return _cached.Value;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private TimeSpan TrustFor(HealthCheckResult result) => result.Status == HealthStatus.Healthy
        ? options.Value.ReachabilityCacheDuration
        : options.Value.ReachabilityFailureCacheDuration;

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var me = await telegram.Client().GetMe(cancellationToken).ConfigureAwait(false);
            identity.Remember(me.Username);
            return HealthCheckResult.Healthy($"getMe answered as @{me.Username}");
        }
        catch (ApiRequestException exception)
        {
            return HealthCheckResult.Unhealthy($"getMe failed: {exception.Describe()}");
        }
        catch (Exception exception) when (exception is RequestException or HttpRequestException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"Telegram is unreachable: {exception.GetType().Name}");
        }
    }
}
