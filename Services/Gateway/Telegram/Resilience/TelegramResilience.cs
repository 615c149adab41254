using System.Collections.Frozen;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Telegram.Client;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Telegram.Bot;

namespace Atlas.Gateway.Telegram.Resilience;

/// <summary>
/// The one resilience pipeline of the gateway's Bot API calls (Polly 8), built here and nowhere else: an outer retry
/// that waits Telegram's retry_after (plus <see cref="TelegramErrors.FloodWaitMargin"/>) on a 429 and backs off
/// exponentially with jitter on 5xx, network errors and timeouts, around a per-attempt timeout. Delays and timeouts
/// run on the injected <see cref="TimeProvider"/>. The HttpClient under it has no resilience handler of its own
/// (see TelegramExtensions), so a failed call is retried here once per decision and never twice over.
/// </summary>
public sealed class TelegramResilience
{
    private static readonly ResiliencePropertyKey<TimeSpan> AttemptTimeoutKey = new("telegram.attempt-timeout");

    private readonly TelegramBot _telegram;
    private readonly TelegramResilienceOptions _options;
    private readonly ILogger _logger;
    private readonly FrozenDictionary<TelegramRetry, ResiliencePipeline> _pipelines;

    public TelegramResilience(TelegramBot telegram, IOptions<TelegramResilienceOptions> options, TimeProvider time, ILogger<TelegramResilience> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _telegram = telegram;
        _options = options.Value;
        _logger = logger;
        _pipelines = Enum.GetValues<TelegramRetry>().ToFrozenDictionary(retry => retry, retry => Build(retry, time));
    }

    /// <summary>
    /// Exponential backoff for the <paramref name="attempt"/>-th retry (0 = first), capped at <paramref name="maxDelay"/>,
    /// with "equal jitter": half of it fixed, half random, so restarted gateways do not retry in lockstep.
    /// </summary>
    public static TimeSpan Backoff(int attempt, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var grown = baseDelay * Math.Pow(2, Math.Clamp(attempt, 0, 30));
        var capped = grown < maxDelay ? grown : maxDelay;
#pragma warning disable CA5394 // Jitter spreads retries; it needs no cryptographic randomness.
        return (capped / 2) + (capped / 2 * Random.Shared.NextDouble());
#pragma warning restore CA5394
    }

    /// <summary>The wait before retry <paramref name="attempt"/> after <paramref name="failure"/>: Telegram's retry_after plus the margin (capped), or the backoff.</summary>
    public TimeSpan DelayAfter(Exception? failure, int attempt) => failure?.WaitBeforeRetry() is { } wait
        ? (wait < _options.MaxFloodWait ? wait : _options.MaxFloodWait)
        : Backoff(attempt, _options.BaseDelay, _options.MaxDelay);

    /// <summary>Calls the Bot API through the pipeline of <paramref name="retry"/>; <paramref name="method"/> names the call in logs.</summary>
    public async Task<T> ExecuteAsync<T>(
        string method, TelegramRetry retry, Func<ITelegramBotClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken,
        TimeSpan? attemptTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        var context = ResilienceContextPool.Shared.Get(method, cancellationToken);
        context.Properties.Set(AttemptTimeoutKey, attemptTimeout ?? _options.AttemptTimeout);
        try
        {
            // The attempt timeout below cuts the call on our clock; the HttpClient's own timeout would not be ours to fake.
            var client = _telegram.Client(Timeout.InfiniteTimeSpan);
            return await _pipelines[retry].ExecuteAsync(
                static async (ctx, state) => await state.call(state.client, ctx.CancellationToken).ConfigureAwait(false),
                context, (call, client)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <inheritdoc cref="ExecuteAsync{T}"/>
    public Task ExecuteAsync(
        string method, TelegramRetry retry, Func<ITelegramBotClient, CancellationToken, Task> call, CancellationToken cancellationToken,
        TimeSpan? attemptTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        return ExecuteAsync(method, retry, async (client, ct) =>
        {
            await call(client, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken, attemptTimeout);
    }

    private ResiliencePipeline Build(TelegramRetry retry, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder { Name = $"telegram-{retry}", TimeProvider = time };
        if (retry == TelegramRetry.UntilStopped)
        {
            // Every failure is retried: a 401 or 409 may be fixed meanwhile; only the caller's stop ends it.
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null && !args.Context.CancellationToken.IsCancellationRequested),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(DelayAfter(args.Outcome.Exception, args.AttemptNumber)),
                OnRetry = args =>
                {
                    GatewayLog.TelegramRetrying(_logger, args.Context.OperationKey ?? "call", args.Outcome.Exception!.Describe(), args.RetryDelay);
                    return default;
                },
            });
        }

        builder.AddTimeout(new TimeoutStrategyOptions
        {
            TimeoutGenerator = args => ValueTask.FromResult(
                args.Context.Properties.TryGetValue(AttemptTimeoutKey, out var timeout) ? timeout : _options.AttemptTimeout),
        });
        return builder.Build();
    }
}
