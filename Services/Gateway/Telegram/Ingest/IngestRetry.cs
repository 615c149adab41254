using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Handling;
using Polly;
using Polly.Retry;

namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>
/// The retries an update gets inside its chat's turn (Polly 8, on the injected <see cref="TimeProvider"/>): a few short
/// ones for any failure, so a passing error does not send the batch to the error queue; while the broker is
/// unreachable, as many as it takes, since a later update of the chat may not overtake this one. Cancellation ends it.
/// </summary>
internal sealed class IngestRetry
{
    private static readonly TimeSpan[] Delays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)];
    private static readonly ResiliencePropertyKey<long> UpdateIdKey = new("ingest.update-id");

    private readonly ResiliencePipeline _pipeline;

    public IngestRetry(TimeProvider time, ILogger<IngestRetry> logger)
    {
        _pipeline = new ResiliencePipelineBuilder { Name = "ingest-in-turn", TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } failure && failure is not OperationCanceledException
                    && (args.AttemptNumber < Delays.Length || BrokerFailures.IsBrokerUnavailable(failure))),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Delays[Math.Min(args.AttemptNumber, Delays.Length - 1)]),
                OnRetry = args =>
                {
                    GatewayLog.UpdateRetrying(logger, args.Outcome.Exception!, args.Context.Properties.GetValue(UpdateIdKey, 0L), args.AttemptNumber + 1);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>Runs <paramref name="attempt"/> for update <paramref name="updateId"/> until it succeeds or its retries are spent (then it throws).</summary>
    public async Task RunAsync(long updateId, Func<Task> attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(UpdateIdKey, updateId);
        try
        {
            await _pipeline.ExecuteAsync(static async (_, run) => await run().ConfigureAwait(false), context, attempt).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
