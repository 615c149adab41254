using System.ComponentModel.DataAnnotations;

namespace Atlas.Sandbox.Camunda;

/// <summary>
/// <c>Sandbox:Camunda</c>: the credentials the stand-in accepts and the processes it knows. A process is a list of
/// steps run in order (a job, a user task or a message wait); the stand-in does not read BPMN.
/// </summary>
public sealed class CamundaSandboxOptions
{
    public const string Section = "Sandbox:Camunda";

    /// <summary>OAuth client-credentials client the token endpoint accepts.</summary>
    [Required]
    public string ClientId { get; init; } = "atlas-workflow";

    [Required]
    public string ClientSecret { get; init; } = "sandbox-secret";

    /// <summary>Basic auth user and password the engine accepts (besides bearer tokens).</summary>
    [Required]
    public string BasicUser { get; init; } = "demo";

    [Required]
    public string BasicPassword { get; init; } = "demo";

    /// <summary>When false the engine answers without credentials (Camunda's "no authentication" mode).</summary>
    public bool RequireAuth { get; init; } = true;

    /// <summary>Lifetime of an issued access token.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a new or changed record stays invisible to searches (the engine's export lag).</summary>
    public TimeSpan SearchLag { get; init; } = TimeSpan.Zero;

    /// <summary>Process id to its steps; merged over <see cref="SandboxProcesses.Defaults"/>.</summary>
    public Dictionary<string, SandboxProcess> Processes { get; init; } = [];
}

/// <summary>One process the stand-in can start.</summary>
public sealed class SandboxProcess
{
    public string? Name { get; set; }

    public List<SandboxStep> Steps { get; set; } = [];
}

/// <summary>
/// One step: <c>Kind</c> is <c>job</c> (<c>Type</c>, <c>Retries</c>), <c>userTask</c> (<c>Name</c>,
/// <c>CandidateGroups</c>) or <c>message</c> (<c>Name</c> = message name, <c>CorrelationVariable</c>).
/// A job's BPMN error whose code is in <c>CatchErrors</c> ends the instance normally; any other one raises an incident.
/// </summary>
public sealed class SandboxStep
{
    public string Kind { get; set; } = "job";

    public string ElementId { get; set; } = "";

    public string? Type { get; set; }

    public string? Name { get; set; }

    public int Retries { get; set; } = 3;

    public List<string> CandidateGroups { get; set; } = [];

    public string? CorrelationVariable { get; set; }

    public List<string> CatchErrors { get; set; } = [];

    /// <summary>A job's input mapping: a literal, or <c>=name</c> for another variable's value.</summary>
    public Dictionary<string, string> Inputs { get; set; } = [];
}

/// <summary>The processes Atlas ships (Services/Workflow/Processes), so a plain Sandbox runs them.</summary>
public static class SandboxProcesses
{
    public static Dictionary<string, SandboxProcess> Defaults() => new(StringComparer.Ordinal)
    {
        ["atlas-onboarding"] = new()
        {
            Name = "Onboarding with consent",
            Steps =
            [
                new()
                {
                    Kind = "job", ElementId = "send-consent-request", Type = "atlas.send-telegram-message",
                    Inputs = new() { ["text"] = "Please reply /consent to accept the community rules." },
                },
                new() { Kind = "message", ElementId = "wait-consent", Name = "consent-given", CorrelationVariable = "userId" },
                new() { Kind = "job", ElementId = "record-consent", Type = "atlas.record-consent", CatchErrors = ["consent-declined"] },
                new() { Kind = "job", ElementId = "send-welcome", Type = "atlas.send-telegram-message", Inputs = new() { ["text"] = "Thank you, welcome!" } },
            ],
        },
        ["atlas-appeal-review"] = new()
        {
            Name = "Moderation appeal review",
            Steps =
            [
                new() { Kind = "userTask", ElementId = "review-appeal", Name = "Review appeal", CandidateGroups = ["moderators"] },
                new() { Kind = "job", ElementId = "apply-decision", Type = "atlas.apply-moderation-decision", CatchErrors = ["invalid-decision"] },
                new()
                {
                    Kind = "job", ElementId = "notify-member", Type = "atlas.send-telegram-message",
                    Inputs = new() { ["chatId"] = "=userId", ["text"] = "Your appeal was reviewed." },
                },
            ],
        },
    };
}
