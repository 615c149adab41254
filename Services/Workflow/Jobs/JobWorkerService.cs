using System.Text.Json.Nodes;
using Atlas.Workflow.Camunda;
using Atlas.Workflow.Diagnostics;
using Atlas.Workflow.Engine;
using Atlas.Workflow.Notifications;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace Atlas.Workflow.Jobs;

/// <summary>
/// One long-polling worker per <see cref="IJobHandler"/>: it asks Camunda for at most as many jobs as it has free
/// slots (the concurrency limit), runs them, and reports each back through the <see cref="WorkflowEngine"/>
/// (complete with variables, BPMN error, or fail with one retry fewer and a growing back-off), so a report Camunda
/// cannot take now is parked like any other engine write. A failed activation backs off and tries again.
/// </summary>
internal sealed class JobWorkerService(
    IEnumerable<IJobHandler> handlers,
    ICamundaApi camunda,
    WorkflowEngine engine,
    ModeratorNotifier notifier,
    IOptions<JobWorkerOptions> options,
    WorkflowMetrics metrics,
    TimeProvider time,
    ILogger<JobWorkerService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.Enabled ? Task.WhenAll(handlers.Select(h => RunWorkerAsync(h, stoppingToken))) : Task.CompletedTask;

    private async Task RunWorkerAsync(IJobHandler handler, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var slots = new SemaphoreSlim(settings.MaxConcurrency, settings.MaxConcurrency);
        var running = new List<Task>();
        var backoff = settings.ActivationBackoff;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                var free = 1;
                while (slots.Wait(0, CancellationToken.None))
                {
                    free++;
                }

                IReadOnlyList<ActivatedJob> jobs;
                try
                {
                    var request = new JobActivationRequest(handler.JobType, settings.WorkerName, (long)settings.JobTimeout.TotalMilliseconds, free, (long)settings.LongPoll.TotalMilliseconds);
                    // A long poll runs all the time and mostly finds nothing: it is not traced (each job's handling is).
                    using (SuppressInstrumentationScope.Begin())
                    {
                        jobs = (await camunda.ActivateJobsAsync(request, stoppingToken).ConfigureAwait(false)).Jobs;
                    }
                    backoff = settings.ActivationBackoff;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    slots.Release(free);
                    WorkflowLog.ActivationFailed(logger, handler.JobType, (long)backoff.TotalMilliseconds, exception.Message);
                    await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(false);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                    continue;
                }

                if (free > jobs.Count)
                {
                    slots.Release(free - jobs.Count);
                }

                if (jobs.Count > 0)
                {
                    metrics.JobsActivated(handler.JobType, jobs.Count);
                }

                running.RemoveAll(t => t.IsCompleted);
                foreach (var job in jobs)
                {
                    running.Add(RunJobAsync(handler, job, slots, stoppingToken));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: jobs in flight finish below; unfinished ones time out in Camunda and are activated again.
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task RunJobAsync(IJobHandler handler, ActivatedJob job, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield();
            JobResult result;
            try
            {
                result = await handler.HandleAsync(job, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                await FailAsync(handler, job, exception, stoppingToken).ConfigureAwait(false);
                return;
            }

            switch (result)
            {
                case JobResult.Completed completed:
                    await engine.ExecuteAsync(new EngineOperation($"job-complete:{job.JobKey}", OperationKinds.CompleteJob,
                        new JsonObject { ["jobKey"] = job.JobKey, ["variables"] = completed.Variables }), CancellationToken.None).ConfigureAwait(false);
                    metrics.JobCompleted(handler.JobType);
                    break;
                case JobResult.Error error:
                    WorkflowLog.JobBpmnError(logger, handler.JobType, job.JobKey, error.Code);
                    await engine.ExecuteAsync(new EngineOperation($"job-error:{job.JobKey}", OperationKinds.ThrowJobError,
                        new JsonObject { ["jobKey"] = job.JobKey, ["errorCode"] = error.Code, ["errorMessage"] = error.Message }), CancellationToken.None).ConfigureAwait(false);
                    metrics.JobFailed(handler.JobType, "bpmn_error");
                    break;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The job times out in Camunda and is activated again.
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task FailAsync(IJobHandler handler, ActivatedJob job, Exception exception, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var retries = Math.Max(0, job.Retries - 1);
        var backoff = TimeSpan.FromTicks(Math.Min(settings.RetryBackoff.Ticks * (long)Math.Pow(2, Math.Max(0, 2 - retries)), settings.MaxRetryBackoff.Ticks));
        WorkflowLog.JobFailed(logger, exception, handler.JobType, job.JobKey, retries);
        await engine.ExecuteAsync(new EngineOperation($"job-fail:{job.JobKey}:{job.Retries}", OperationKinds.FailJob, new JsonObject
        {
            ["jobKey"] = job.JobKey,
            ["retries"] = retries,
            ["errorMessage"] = $"{exception.GetType().Name}: {exception.Message}",
            ["retryBackOff"] = (long)backoff.TotalMilliseconds,
        }), CancellationToken.None).ConfigureAwait(false);
        metrics.JobFailed(handler.JobType, "fail");
        if (retries == 0)
        {
            await notifier.JobIncidentAsync(job, exception.Message, stoppingToken).ConfigureAwait(false);
        }
    }
}
