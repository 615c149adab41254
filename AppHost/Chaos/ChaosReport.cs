using System.Globalization;

namespace Atlas.AppHost.Chaos;

/// <summary>
/// What a drill saw. <see cref="Recovery"/>: from the end of the fault (the mending action; for a killed service, the
/// kill) until the first answer to a message sent since, from which on every message was answered normally; null when
/// that never happened. <see cref="Lost"/>: messages never answered by the end of the grace period.
/// </summary>
internal sealed record ChaosReport(
    string Scenario, TimeSpan Duration, IReadOnlyList<string> Steps, int Sent, int Lost, int HandledTwice, int DegradedUsers,
    TimeSpan? Recovery, TimeSpan SlowestAnswer, string? Error)
{
    /// <summary>Nothing lost, nothing handled twice, recovered, and the drill itself ran to the end.</summary>
    public bool Passed => Error is null && Lost == 0 && HandledTwice == 0 && Recovery is not null;

    /// <summary>One line per metric, for the console and the dashboard.</summary>
    public IReadOnlyList<string> Lines()
    {
        var prefix = $"chaos {Scenario}:";
        List<string> lines = [.. Steps.Select(s => $"{prefix} step        {s}")];
        lines.Add(Line(prefix, "fault for", Seconds(Duration)));
        lines.Add(Line(prefix, "recovery", Recovery is { } r ? Seconds(r) : "not recovered"));
        lines.Add(Line(prefix, "sent", Sent.ToString(CultureInfo.InvariantCulture)));
        lines.Add(Line(prefix, "lost", Lost.ToString(CultureInfo.InvariantCulture)));
        lines.Add(Line(prefix, "twice", HandledTwice.ToString(CultureInfo.InvariantCulture)));
        lines.Add(Line(prefix, "degraded", $"{DegradedUsers.ToString(CultureInfo.InvariantCulture)} users got the polite degraded answer"));
        lines.Add(Line(prefix, "slowest", Seconds(SlowestAnswer)));
        if (Error is not null)
        {
            lines.Add(Line(prefix, "error", Error));
        }

        lines.Add(Line(prefix, "result", Passed ? "PASS" : "FAIL"));
        return lines;
    }

    /// <summary>The one-paragraph summary the dashboard shows as the command's result.</summary>
    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"{(Passed ? "PASS" : "FAIL")}: recovery {(Recovery is { } r ? Seconds(r) : "none")}, sent {Sent}, lost {Lost}, twice {HandledTwice}, degraded users {DegradedUsers}, slowest {Seconds(SlowestAnswer)}{(Error is null ? "" : ", error: " + Error)}");

    private static string Line(string prefix, string metric, string value) => $"{prefix} {metric,-11} {value}";

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
