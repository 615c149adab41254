using System.Text;

namespace Atlas.Gateway.Workflow;

/// <summary>
/// The callback data of the workflow buttons: <c>wf:c:&lt;task&gt;</c> claim, <c>wf:u:&lt;task&gt;</c> unclaim,
/// <c>wf:d:&lt;task&gt;</c> complete, <c>wf:r:&lt;operation&gt;</c> resume, <c>wf:ra</c> resume all. Telegram allows
/// 64 bytes of callback data; a button whose data would be longer is not offered (<c>/resume &lt;id&gt;</c> still works).
/// </summary>
public static class WorkflowButtons
{
    public const int MaxCallbackBytes = 64;
    private const string Prefix = "wf:";
    private const string ResumeAllData = "wf:ra";

    public static string? Claim(string taskKey) => Fit($"{Prefix}c:{taskKey}");

    public static string? Unclaim(string taskKey) => Fit($"{Prefix}u:{taskKey}");

    public static string? Complete(string taskKey) => Fit($"{Prefix}d:{taskKey}");

    public static string? Resume(string operationId) => Fit($"{Prefix}r:{operationId}");

    public static string ResumeAll => ResumeAllData;

    /// <summary>Reads a workflow button's data; false for any other callback data.</summary>
    public static bool TryParse(string? data, out WorkflowButton button)
    {
        button = default;
        if (data is null || !data.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        if (data == ResumeAllData)
        {
            button = new WorkflowButton(WorkflowButtonKind.ResumeAll, "");
            return true;
        }

        if (data.Length < Prefix.Length + 3 || data[Prefix.Length + 1] != ':')
        {
            return false;
        }

        var argument = data[(Prefix.Length + 2)..];
        WorkflowButtonKind? kind = data[Prefix.Length] switch
        {
            'c' => WorkflowButtonKind.Claim,
            'u' => WorkflowButtonKind.Unclaim,
            'd' => WorkflowButtonKind.Complete,
            'r' => WorkflowButtonKind.Resume,
            _ => null,
        };
        if (kind is null)
        {
            return false;
        }

        button = new WorkflowButton(kind.Value, argument);
        return true;
    }

    private static string? Fit(string data) => Encoding.UTF8.GetByteCount(data) <= MaxCallbackBytes ? data : null;
}

/// <summary>What a workflow button does.</summary>
public enum WorkflowButtonKind
{
    Claim,
    Unclaim,
    Complete,
    Resume,
    ResumeAll,
}

/// <summary>A pressed workflow button: what, and on which task or parked operation.</summary>
public readonly record struct WorkflowButton(WorkflowButtonKind Kind, string Argument);
