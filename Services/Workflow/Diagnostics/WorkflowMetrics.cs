using System.Diagnostics.Metrics;

namespace Atlas.Workflow.Diagnostics;

/// <summary>
/// The workflow service's instruments (meter <c>Atlas.Workflow</c>): <c>luka_workflow_active_total</c> (process
/// instances Atlas started that are still running), parked work (<c>luka_workflow_parked_operations</c>,
/// <c>luka_workflow_parked_oldest_age_seconds</c>), job worker throughput and failures. Tags carry kinds only.
/// </summary>
public sealed class WorkflowMetrics
{
    public const string MeterName = "Atlas.Workflow";

    private readonly Counter<long> _instancesStarted;
    private readonly Counter<long> _parked;
    private readonly Counter<long> _unparked;
    private readonly Histogram<double> _parkedWait;
    private readonly Counter<long> _jobsActivated;
    private readonly Counter<long> _jobsCompleted;
    private readonly Counter<long> _jobsFailed;
    private long _active;
    private long _parkedNow;
    private double _oldestAge;

    public WorkflowMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("luka_workflow_active_total", () => Volatile.Read(ref _active), description: "Process instances Atlas started that are still active.");
        meter.CreateObservableGauge("luka_workflow_parked_operations", () => Volatile.Read(ref _parkedNow), description: "Engine operations parked, waiting for Camunda.");
        meter.CreateObservableGauge("luka_workflow_parked_oldest_age", () => Volatile.Read(ref _oldestAge), unit: "s", description: "How long the oldest parked operation has waited.");
        _instancesStarted = meter.CreateCounter<long>("luka_workflow_instances_started", description: "Process instances started, by process id.");
        _parked = meter.CreateCounter<long>("luka_workflow_operations_parked", description: "Engine operations parked, by kind.");
        _unparked = meter.CreateCounter<long>("luka_workflow_operations_unparked", description: "Parked operations applied later, by kind.");
        _parkedWait = meter.CreateHistogram<double>("luka_workflow_parked_wait", unit: "s", description: "Time from parking to applying an operation.");
        _jobsActivated = meter.CreateCounter<long>("luka_workflow_jobs_activated", description: "Jobs activated, by type.");
        _jobsCompleted = meter.CreateCounter<long>("luka_workflow_jobs_completed", description: "Jobs completed, by type.");
        _jobsFailed = meter.CreateCounter<long>("luka_workflow_jobs_failed", description: "Jobs failed (outcome fail or bpmn_error), by type.");
    }

    public void InstanceStarted(string processId) => _instancesStarted.Add(1, new KeyValuePair<string, object?>("process", processId));

    public void Parked(string kind) => _parked.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Unparked(string kind, TimeSpan waited)
    {
        _unparked.Add(1, new KeyValuePair<string, object?>("kind", kind));
        _parkedWait.Record(waited.TotalSeconds, new KeyValuePair<string, object?>("kind", kind));
    }

    public void JobsActivated(string type, int count) => _jobsActivated.Add(count, new KeyValuePair<string, object?>("type", type));

    public void JobCompleted(string type) => _jobsCompleted.Add(1, new KeyValuePair<string, object?>("type", type));

    public void JobFailed(string type, string outcome) =>
        _jobsFailed.Add(1, new KeyValuePair<string, object?>("type", type), new KeyValuePair<string, object?>("outcome", outcome));

    public void SetGauges(long active, long parked, TimeSpan oldest)
    {
        Volatile.Write(ref _active, active);
        Volatile.Write(ref _parkedNow, parked);
        Volatile.Write(ref _oldestAge, oldest.TotalSeconds);
    }
}
