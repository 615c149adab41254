using Atlas.Workflow.Camunda;
using Atlas.Workflow.Diagnostics;
using Atlas.Workflow.Engine;
using Microsoft.Extensions.Options;

namespace Atlas.Workflow.Parked;

/// <summary>
/// Replays parked work by itself: every poll interval (or at once when the engine is seen to recover) it applies the
/// work whose back-off has passed. While work waits it probes the engine (topology, which needs a token too), and
/// when the probe gets through it replays all parked work without waiting out each back-off.
/// </summary>
internal sealed class ParkedRetryService(
    ParkedStore store,
    WorkflowEngine engine,
    ICamundaApi camunda,
    EngineAvailability availability,
    IOptions<ParkedOptions> options,
    TimeProvider time,
    ILogger<ParkedRetryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var recovered = availability.Recovered;
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                WorkflowLog.ParkedLoopFailed(logger, exception);
            }

            try
            {
                await Task.WhenAny(recovered, Task.Delay(options.Value.PollInterval, time, stoppingToken)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass: replays due work, or all waiting work when the engine answers a probe. Returns how many were applied.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var (waiting, _) = await store.WaitingAsync(cancellationToken).ConfigureAwait(false);
        if (waiting == 0)
        {
            return 0;
        }

        var all = await ProbeAsync(cancellationToken).ConfigureAwait(false);
        var applied = 0;
        foreach (var operation in await store.DueAsync(time.GetUtcNow(), all, options.Value.BatchSize, cancellationToken).ConfigureAwait(false))
        {
            var outcome = await engine.ResumeAsync(operation.OperationId, resumedBy: null, cancellationToken).ConfigureAwait(false);
            if (outcome?.Status is OperationStatus.Applied or OperationStatus.AlreadyApplied)
            {
                applied++;
            }
            else if (outcome?.Status == OperationStatus.Parked)
            {
                break;
            }
        }

        return applied;
    }

    private async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await camunda.GetTopologyAsync(cancellationToken).ConfigureAwait(false);
            availability.ReportSuccess();
            return true;
        }
        catch (EngineUnavailableException)
        {
            availability.ReportFailure();
            return false;
        }
    }
}
