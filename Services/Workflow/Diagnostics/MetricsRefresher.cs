using Atlas.Workflow.Camunda;
using Atlas.Workflow.Engine;
using Atlas.Workflow.Parked;

namespace Atlas.Workflow.Diagnostics;

/// <summary>
/// Keeps the gauges current from PostgreSQL, and marks tracked instances that Camunda reports as ended, so
/// <c>luka_workflow_active_total</c> counts what still runs.
/// </summary>
internal sealed class MetricsRefresher(
    ParkedStore parked, InstanceTracker instances, ICamundaApi camunda, EngineAvailability availability, WorkflowMetrics metrics, TimeProvider time, ILogger<MetricsRefresher> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception exception) when (exception is Npgsql.NpgsqlException or EngineUnavailableException or CamundaProblemException)
            {
                WorkflowLog.GaugesFailed(logger, exception);
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (!availability.IsDown)
        {
            foreach (var key in await instances.ActiveAsync(20, cancellationToken).ConfigureAwait(false))
            {
                var text = key.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var found = await camunda.SearchProcessInstancesAsync(new SearchRequest<ProcessInstanceFilter>(new ProcessInstanceFilter(ProcessInstanceKey: text)), cancellationToken).ConfigureAwait(false);
                if ((found.Items.Count > 0 ? found.Items[0] : null) is { State: not "ACTIVE" } ended)
                {
                    await instances.MarkAsync(key, ended.State.ToLowerInvariant(), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var (count, oldest) = await parked.WaitingAsync(cancellationToken).ConfigureAwait(false);
        var active = await instances.CountActiveAsync(cancellationToken).ConfigureAwait(false);
        metrics.SetGauges(active, count, oldest is null ? TimeSpan.Zero : time.GetUtcNow() - oldest.Value);
    }
}
