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
public sealed class ProviderCaller(IOptionsMonitor<RetryOptions> retryOptions, TimeProvider time)
{
    public async Task<ChatResponse> CallAsync(ChatProvider provider, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var pipeline = Build(provider.Timeout, retryOptions.CurrentValue);
        return await pipeline.ExecuteAsync(
            static async (state, token) => await state.Client.GetResponseAsync(state.Messages, new ChatOptions { ModelId = state.Model }, token).ConfigureAwait(false),
            (provider.Client, Messages: messages, provider.Model),
            cancellationToken).ConfigureAwait(false);
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
}
