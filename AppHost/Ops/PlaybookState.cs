using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atlas.AppHost.Ops;

/// <summary>Where an upgrade stands: nothing under way, prepared (inbound frozen, backed up, warmed), or verified.</summary>
public enum PlaybookStage
{
    Idle,
    Preparing,
    Prepared,
    Verified,
}

/// <summary>The playbook's state as kept in the stack's data folder (<see cref="FileName"/>); no file means <see cref="PlaybookStage.Idle"/>.</summary>
internal sealed record PlaybookState(PlaybookStage Stage, DateTimeOffset Since, IReadOnlyList<string> BackupIds)
{
    public const string FileName = "upgrade-playbook.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static PlaybookState Idle { get; } = new(PlaybookStage.Idle, DateTimeOffset.MinValue, []);

    public static PlaybookState Load(string dataRoot)
    {
        var path = Path.Combine(dataRoot, FileName);
        if (!File.Exists(path))
        {
            return Idle;
        }

        try
        {
            return JsonSerializer.Deserialize<PlaybookState>(File.ReadAllText(path), Json) ?? Idle;
        }
        catch (JsonException exception)
        {
            throw new InvalidOperationException($"{path} is not a playbook state ({exception.Message}); remove it to start over.", exception);
        }
    }

    public void Save(string dataRoot)
    {
        var path = Path.Combine(dataRoot, FileName);
        if (Stage == PlaybookStage.Idle)
        {
            File.Delete(path);
            return;
        }

        File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
    }
}

/// <summary>
/// The order of the playbook: prepare (from idle) → verify (once prepared; again after a verify) → resume (once
/// verified). <c>--force</c> runs a step from any stage: prepare again after a failed prepare, resume to abandon.
/// </summary>
internal static class PlaybookRules
{
    /// <summary>Null when <paramref name="step"/> may run now, else the reason it may not and what to run instead.</summary>
    public static string? Refusal(OpsVerb step, PlaybookState state, bool force)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (force)
        {
            return null;
        }

        var since = state.Since.ToString("u", System.Globalization.CultureInfo.InvariantCulture);
        return (step, state.Stage) switch
        {
            (OpsVerb.Prepare, PlaybookStage.Idle) => null,
            (OpsVerb.Prepare, PlaybookStage.Preparing) =>
                $"A prepare started at {since} did not finish (inbound is frozen). Run 'upgrade prepare --force' to retry it, or 'upgrade resume --force' to abandon the upgrade.",
            (OpsVerb.Prepare, _) =>
                $"An upgrade is already under way ({Describe(state.Stage)} since {since}). Run 'upgrade verify' and 'upgrade resume' to finish it, or 'upgrade resume --force' to abandon it.",
            (OpsVerb.Verify, PlaybookStage.Prepared or PlaybookStage.Verified) => null,
            (OpsVerb.Verify, PlaybookStage.Idle) => "Nothing to verify: no upgrade is under way. Run 'upgrade prepare' first.",
            (OpsVerb.Verify, _) => $"The prepare started at {since} did not finish. Run 'upgrade prepare --force' first.",
            (OpsVerb.Resume, PlaybookStage.Verified) => null,
            (OpsVerb.Resume, PlaybookStage.Idle) =>
                "Nothing to resume: no upgrade is under way ('upgrade prepare' was not run). 'upgrade resume --force' unfreezes inbound anyway.",
            (OpsVerb.Resume, _) =>
                $"The upgrade is {Describe(state.Stage)} (since {since}) but not verified. Run 'upgrade verify' first, or 'upgrade resume --force' to resume without it.",
            _ => $"'{step}' is not a playbook step.",
        };
    }

    private static string Describe(PlaybookStage stage) => stage switch
    {
        PlaybookStage.Preparing => "being prepared",
        PlaybookStage.Prepared => "prepared",
        PlaybookStage.Verified => "verified",
        _ => "idle",
    };
}
