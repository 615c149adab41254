using Atlas.Workflow.Camunda;
using Atlas.Workflow.Diagnostics;
using Microsoft.Extensions.Options;
using Refit;

namespace Atlas.Workflow.Processes;

/// <summary>
/// The runbook's "warm workflow caches": at start, checks the engine (topology), deploys the shipped processes when
/// <c>Camunda:DeployOnStart</c> is on, and fills the <see cref="ProcessCatalog"/>. Camunda being down does not stop
/// the service: the warm-up is retried in the background with back-off until it succeeds.
/// </summary>
internal sealed class ProcessDeployer(
    ICamundaApi camunda, ProcessCatalog catalog, IOptions<CamundaOptions> options, TimeProvider time, ILogger<ProcessDeployer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await WarmUpAsync(stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (EngineUnavailableException exception)
            {
                WorkflowLog.WarmUpIncomplete(logger, "engine", exception.Reason);
            }
            catch (CamundaProblemException problem)
            {
                WorkflowLog.WarmUpIncomplete(logger, "deployment", $"{problem.Status} {problem.Title}: {problem.Detail}");
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                WorkflowLog.WarmUpIncomplete(logger, "unexpected", exception.GetType().Name);
            }

            try
            {
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
        }
    }

    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        await camunda.GetTopologyAsync(cancellationToken).ConfigureAwait(false);
        if (!options.Value.DeployOnStart)
        {
            return;
        }

        var parts = ProcessCatalog.Resources().Select(r => new ByteArrayPart(r.Content, r.Name, "application/xml")).ToList();
        var result = await camunda.DeployAsync(parts, cancellationToken).ConfigureAwait(false);
        foreach (var process in result.Deployments.Select(d => d.ProcessDefinition).OfType<DeployedProcess>())
        {
            catalog.Remember(process.ProcessDefinitionId, process.ProcessDefinitionKey, process.ProcessDefinitionVersion);
            WorkflowLog.Deployed(logger, process.ResourceName, process.ProcessDefinitionId, process.ProcessDefinitionVersion);
        }
    }
}
