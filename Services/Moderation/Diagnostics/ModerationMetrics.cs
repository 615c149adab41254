using System.Diagnostics.Metrics;

namespace Atlas.Moderation.Diagnostics;

/// <summary>
/// Moderation's instruments (meter <c>Atlas.Moderation</c>); Prometheus names them <c>moderation_actions_total{action,rule}</c>,
/// <c>moderation_decision_seconds</c>,
/// <c>moderation_decision_stage_seconds{stage}</c>, <c>moderation_write_group</c>, <c>moderation_appeals_open</c> and <c>moderation_commands_total{command,outcome}</c>.
/// Tags carry kinds only, never user text.
/// </summary>
public sealed class ModerationMetrics
{
    public const string MeterName = "Atlas.Moderation";

    private readonly Counter<long> _actions;
    private readonly Counter<long> _commands;
    private readonly Counter<long> _verdicts;
    private readonly Histogram<double> _decision;
    private readonly Histogram<double> _stage;
    private readonly Histogram<long> _group;
    private long _appealsOpen;

    public ModerationMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _actions = meter.CreateCounter<long>("moderation_actions", description: "Audit rows recorded, by action and rule.");
        _commands = meter.CreateCounter<long>("moderation_commands", description: "Admin commands, by command and outcome (done, refused, invalid).");
        _verdicts = meter.CreateCounter<long>("moderation_llm_verdicts", description: "LLM spam verdicts, by source (cache, llm, unavailable).");
        _decision = meter.CreateHistogram(
            "moderation_decision", unit: "s", description: "Time to decide one event, from receipt to the actions published.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _stage = meter.CreateHistogram(
            "moderation_decision_stage", unit: "s", description: "Time of one stage of a group message's decision (read, judge, write, publish).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _group = meter.CreateHistogram<long>(
            "moderation_write_group", unit: "{event}", description: "Decisions written in one transaction.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });
        meter.CreateObservableGauge("moderation_appeals_open", () => Volatile.Read(ref _appealsOpen), description: "Appeals waiting for an admin.");
    }

    public void ActionRecorded(string action, string rule) =>
        _actions.Add(1, new KeyValuePair<string, object?>("action", action), new KeyValuePair<string, object?>("rule", rule));

    public void Command(string command, string outcome) =>
        _commands.Add(1, new KeyValuePair<string, object?>("command", command), new KeyValuePair<string, object?>("outcome", outcome));

    public void Verdict(string source) => _verdicts.Add(1, new KeyValuePair<string, object?>("source", source));

    public void DecisionTook(TimeSpan elapsed) => _decision.Record(elapsed.TotalSeconds);

    /// <summary>Records the time since <paramref name="since"/> (a <see cref="System.Diagnostics.Stopwatch"/> timestamp) as <paramref name="stage"/>, and returns now.</summary>
    public long Stage(string stage, long since)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        _stage.Record(System.Diagnostics.Stopwatch.GetElapsedTime(since, now).TotalSeconds, new KeyValuePair<string, object?>("stage", stage));
        return now;
    }

    public void GroupWritten(int events) => _group.Record(events);

    public void AppealsOpen(long count) => Volatile.Write(ref _appealsOpen, count);
}
