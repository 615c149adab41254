using System.Diagnostics.Metrics;

namespace Atlas.ServiceDefaults.Audit;

/// <summary>
/// <c>atlas_ops_actions_total{service,source,outcome}</c>: operator actions by where they came from and how they ended
/// (no actor label: who is in the log, not in the metrics); <c>atlas_ops_audit_write_failures_total{service}</c>: rows
/// that could not be written.
/// </summary>
public sealed class OpsAuditMetrics
{
    public const string MeterName = "Atlas.Ops";
    private readonly Counter<long> _actions;
    private readonly Counter<long> _writeFailures;

    public OpsAuditMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _actions = meter.CreateCounter<long>("atlas_ops_actions", description: "Operator actions recorded in the ops audit log, by service, source and outcome.");
        _writeFailures = meter.CreateCounter<long>("atlas_ops_audit_write_failures", description: "Ops audit rows that could not be written.");
    }

    public void Action(string service, string source, string outcome) =>
        _actions.Add(1, new KeyValuePair<string, object?>("service", service), new KeyValuePair<string, object?>("source", source),
            new KeyValuePair<string, object?>("outcome", outcome));

    public void WriteFailed(string service) => _writeFailures.Add(1, new KeyValuePair<string, object?>("service", service));
}
