using Atlas.Gateway.Diagnostics;
using Polly;
using Polly.Retry;

namespace Atlas.Gateway.Outbound;

/// <summary>
/// Writes the outcome of a send or a moderation action to Redis, trying again for a while when Redis hiccups, so
/// what reached Telegram is not repeated because its outcome was lost. The step itself is never cut (it is one
/// atomic script); only the waits between attempts end with the abort.
/// </summary>
internal sealed class OutboundPersist
{
    private const int Attempts = 8;
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(200);
    private static readonly ResiliencePropertyKey<long> ChatKey = new("outbound.chat-id");
    private readonly ResiliencePipeline _pipeline;

    public OutboundPersist(TimeProvider time, ILogger logger) =>
        _pipeline = new ResiliencePipelineBuilder { Name = "outbound-persist", TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Attempts - 1,
                Delay = FirstDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(exception => exception is not OperationCanceledException),
                OnRetry = args =>
                {
                    GatewayLog.OutboundPersistFailed(logger, args.Outcome.Exception!, args.Context.Properties.GetValue(ChatKey, 0L), args.RetryDelay);
                    return default;
                },
            })
            .Build();

    public async Task RunAsync(long chatId, Func<CancellationToken, Task> step, CancellationToken abortToken)
    {
        var context = ResilienceContextPool.Shared.Get(abortToken);
        context.Properties.Set(ChatKey, chatId);
        try
        {
            await _pipeline.ExecuteAsync(static async (_, step) => await step(CancellationToken.None).ConfigureAwait(false), context, step)
                .ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
