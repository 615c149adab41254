using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Camunda;

/// <summary>
/// A deployed process definition. <see cref="Checksum"/> is the SHA-256 of the resource it was deployed from (null for
/// a process configured through the control API), by which a repeated deployment is recognised.
/// </summary>
internal sealed record DefinitionRecord(string ProcessDefinitionId, string Key, int Version, string Name, string ResourceName, string? Checksum = null);

/// <summary>A process instance of the stand-in.</summary>
internal sealed class InstanceRecord
{
    public required string Key { get; init; }

    public required DefinitionRecord Definition { get; init; }

    public string? BusinessId { get; init; }

    public required JsonObject Variables { get; init; }

    public string State { get; set; } = "ACTIVE";

    public bool HasIncident { get; set; }

    public string? IncidentMessage { get; set; }

    public int StepIndex { get; set; } = -1;

    public required DateTimeOffset StartDate { get; init; }

    public DateTimeOffset? EndDate { get; set; }

    public DateTimeOffset VisibleAt { get; set; }

    public string? WaitingMessage { get; set; }

    public string? WaitingCorrelationKey { get; set; }

    public List<string> CaughtErrors { get; } = [];
}

/// <summary>A user task of the stand-in.</summary>
internal sealed class TaskRecord
{
    public required string Key { get; init; }

    public required InstanceRecord Instance { get; init; }

    public required string ElementId { get; init; }

    public required string ElementInstanceKey { get; init; }

    public required string Name { get; init; }

    public required IReadOnlyList<string> CandidateGroups { get; init; }

    public string? Assignee { get; set; }

    public string State { get; set; } = "CREATED";

    public required DateTimeOffset CreationDate { get; init; }

    public DateTimeOffset? CompletionDate { get; set; }

    public DateTimeOffset VisibleAt { get; set; }
}

/// <summary>A service-task job of the stand-in.</summary>
internal sealed class JobRecord
{
    public required string Key { get; init; }

    public required InstanceRecord Instance { get; init; }

    public required string Type { get; init; }

    public required string ElementId { get; init; }

    public required string ElementInstanceKey { get; init; }

    public required IReadOnlyList<string> CatchErrors { get; init; }

    public required IReadOnlyDictionary<string, string> Inputs { get; init; }

    public int Retries { get; set; }

    /// <summary>activatable, activated, failed (no retries: an incident), completed, errored.</summary>
    public string State { get; set; } = "activatable";

    public string? Worker { get; set; }

    public DateTimeOffset Deadline { get; set; }

    public DateTimeOffset AvailableAt { get; set; }

    public int Activations { get; set; }

    public string? ErrorMessage { get; set; }
}
