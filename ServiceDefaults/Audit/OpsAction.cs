namespace Atlas.ServiceDefaults.Audit;

/// <summary>
/// One operator action as the ops audit log records it: who (<see cref="Actor"/>), from where (<see cref="Source"/>,
/// one of <see cref="OpsSources"/>), what (<see cref="Action"/>) and on what (<see cref="Target"/>). Never a secret:
/// no header value, no request body.
/// </summary>
public sealed record OpsAction(string Actor, string Source, string Action, string? Target);

/// <summary>Where an operator action came from.</summary>
public static class OpsSources
{
    /// <summary>A command on the Aspire dashboard.</summary>
    public const string Dashboard = "dashboard";

    /// <summary>An AppHost verb on the command line (<c>upgrade prepare</c>, <c>chaos</c>, ...).</summary>
    public const string Cli = "cli";

    /// <summary>A direct call of an ops API (curl, a script): the default when the caller does not say.</summary>
    public const string Api = "api";

    /// <summary>An admin command written to the Telegram bot.</summary>
    public const string Bot = "bot";

    /// <summary>The AppHost acting on its own (the watchdog restarting a hung service).</summary>
    public const string AppHost = "apphost";

    /// <summary>The values a caller may claim in <c>X-Atlas-Source</c>.</summary>
    public static readonly IReadOnlySet<string> Claimable = new HashSet<string>(StringComparer.Ordinal) { Dashboard, Cli, Api };
}

/// <summary>How an operator action ended.</summary>
public static class OpsOutcomes
{
    /// <summary>Written before the action ran; it stays so only when the action's end could not be recorded.</summary>
    public const string Pending = "pending";

    public const string Succeeded = "succeeded";

    /// <summary>The action ran (or was attempted) and failed: a 4xx other than 401/403, a 5xx, an error.</summary>
    public const string Failed = "failed";

    /// <summary>The caller was not allowed: a missing or wrong ops key, an ops API switched off, a bad caller header.</summary>
    public const string Refused = "refused";

    /// <summary>The outcome of an HTTP status: 2xx/3xx succeeded, 401/403 refused, anything else failed.</summary>
    public static string OfStatus(int status) => status switch
    {
        < 400 => Succeeded,
        401 or 403 => Refused,
        _ => Failed,
    };
}

/// <summary>One row of the ops audit log, as the export writes it (one JSON object per line).</summary>
public sealed record OpsAuditRecord(
    long Id, DateTimeOffset At, string Service, string Actor, string Source, string Action, string? Target,
    string Outcome, int? Status, string? Detail, DateTimeOffset? CompletedAt);

/// <summary>The ops audit row could not be written; the action it was for did not run.</summary>
public sealed class OpsAuditUnavailableException(string message, Exception innerException) : Exception(message, innerException);
