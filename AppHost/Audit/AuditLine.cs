using System.Text.Json;

namespace Atlas.AppHost.Audit;

/// <summary>
/// One line of the ops audit log in JSON Lines, the shape every service's <c>GET /ops/audit</c> writes (ServiceDefaults'
/// <c>OpsAuditRecord</c>) and the AppHost's own file uses: who (<see cref="Actor"/>), from where (<see cref="Source"/>),
/// what (<see cref="Action"/> on <see cref="Target"/>), when (<see cref="At"/>) and the <see cref="Outcome"/>.
/// </summary>
internal sealed record AuditLine(
    long Id, DateTimeOffset At, string Service, string Actor, string Source, string Action, string? Target,
    string Outcome, int? Status, string? Detail, DateTimeOffset? CompletedAt)
{
    public static readonly JsonSerializerOptions Format = new(JsonSerializerDefaults.Web);

    /// <summary>The service name of the AppHost's own rows.</summary>
    public const string AppHostService = "apphost";

    public string ToJson() => JsonSerializer.Serialize(this, Format);

    /// <summary>A line parsed, or null when it is not one (a torn last line of a file being written).</summary>
    public static AuditLine? Parse(string line)
    {
        try
        {
            return string.IsNullOrWhiteSpace(line) ? null : JsonSerializer.Deserialize<AuditLine>(line, Format);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Who acts from the AppHost: the dashboard (it has no user identity), or the OS user of a command-line verb.</summary>
internal sealed record AuditCaller(string Actor, string Source)
{
    public const string OperatorHeader = "X-Atlas-Operator";
    public const string SourceHeader = "X-Atlas-Source";

    public static AuditCaller Dashboard { get; } = new("dashboard", "dashboard");

    /// <summary>The OS user running the verb (<c>$USER</c>), or <c>cli-user</c> when it is not a short printable name.</summary>
    public static AuditCaller Cli { get; } = new(CliUser(Environment.GetEnvironmentVariable("USER") ?? Environment.UserName), "cli");

    /// <summary>The AppHost acting on its own (the watchdog).</summary>
    public static AuditCaller AppHost { get; } = new("watchdog", "apphost");

    /// <summary>Says who calls on an ops API request (the service records it in its audit log).</summary>
    public void Apply(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Remove(OperatorHeader);
        request.Headers.Remove(SourceHeader);
        request.Headers.Add(OperatorHeader, Actor);
        request.Headers.Add(SourceHeader, Source);
    }

    internal static string CliUser(string? name) =>
        name is { Length: > 0 and <= 64 } && name.All(c => c is > ' ' and < '\u007f') ? name : "cli-user";
}
