using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Atlas.LlmRouter.Providers;

/// <summary>
/// Calls one provider through the one resilience pipeline for model calls: a timeout per attempt and, on 5xx only,
/// a retry that waits Retry-After (or a short default) when that wait fits the retry budget. A 429 is not retried
/// here: routing moves on to the next provider.
/// </summary>
/// <remarks>
/// The pipelines are built once per timeout and reused until <c>LlmRouter:Retry</c> reloads. Building one per call
/// cost more than the rest of the routing together, and Polly validates each strategy's options under one
/// process-wide lock, so a burst of questions queued behind each other there.
/// </remarks>
public sealed class ProviderCaller(IOptionsMonitor<RetryOptions> retryOptions, TimeProvider time)
{
    private volatile Pipelines? _pipelines;

    public async Task<ChatResponse> CallAsync(ChatProvider provider, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return await PipelineFor(provider.Timeout).ExecuteAsync(
            static async (state, token) => await state.Client.GetResponseAsync(state.Messages, new ChatOptions { ModelId = state.Model }, token).ConfigureAwait(false),
            (provider.Client, Messages: messages, provider.Model),
            cancellationToken).ConfigureAwait(false);
    }

    // The options monitor hands out the same RetryOptions instance until the configuration reloads.
    private ResiliencePipeline PipelineFor(TimeSpan timeout)
    {
        var retry = retryOptions.CurrentValue;
        var pipelines = _pipelines;
        if (pipelines is null || !ReferenceEquals(pipelines.Retry, retry))
        {
            pipelines = new Pipelines(retry);
            _pipelines = pipelines;
        }

        return pipelines.ByTimeout.GetOrAdd(timeout, static (timeout, state) => state.Caller.Build(timeout, state.Retry), (Caller: this, Retry: retry));
    }

    private ResiliencePipeline Build(TimeSpan timeout, RetryOptions retry)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (retry.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = retry.MaxRetries,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } exception
                    && ProviderFailure.From(exception) is { Retryable: true } failure
                    && (failure.RetryAfter ?? retry.DefaultDelay) <= retry.Budget),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    args.Outcome.Exception is { } exception ? ProviderFailure.From(exception).RetryAfter ?? retry.DefaultDelay : retry.DefaultDelay),
            });
        }

        return builder.AddTimeout(new TimeoutStrategyOptions { Timeout = timeout }).Build();
    }

    private sealed class Pipelines(RetryOptions retry)
    {
        public RetryOptions Retry { get; } = retry;

        public ConcurrentDictionary<TimeSpan, ResiliencePipeline> ByTimeout { get; } = new();
    }
}
