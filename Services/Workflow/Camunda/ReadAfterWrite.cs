using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Atlas.Workflow.Camunda;

/// <summary>
/// Camunda's reads (searches, and user task reads) come from an exported index that lags its writes. A read right
/// after a write polls with bounded exponential back-off until it sees the write, instead of failing on a 404 or an
/// old value. Null when the write did not show within <see cref="CamundaOptions.ReadAfterWriteTimeout"/>.
/// </summary>
internal sealed class ReadAfterWrite(IOptions<CamundaOptions> options, TimeProvider time)
{
    public async Task<T?> UntilAsync<T>(Func<CancellationToken, Task<T>> read, Func<T, bool> done, CancellationToken cancellationToken) where T : class
    {
        var pipeline = new ResiliencePipelineBuilder<T?> { TimeProvider = time }
            .AddTimeout(options.Value.ReadAfterWriteTimeout)
            .AddRetry(new RetryStrategyOptions<T?>
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is CamundaProblemException { Status: 404 } || (args.Outcome.Exception is null && (args.Outcome.Result is null || !done(args.Outcome.Result)))),
                MaxRetryAttempts = int.MaxValue,
                Delay = TimeSpan.FromMilliseconds(50),
                MaxDelay = TimeSpan.FromSeconds(1),
                BackoffType = DelayBackoffType.Exponential,
            })
            .Build();
        try
        {
            var last = await pipeline.ExecuteAsync(async ct => (T?)await read(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            return last is not null && done(last) ? last : null;
        }
        catch (TimeoutRejectedException)
        {
            return null;
        }
        catch (CamundaProblemException problem) when (problem.Status == 404)
        {
            return null;
        }
    }
}
