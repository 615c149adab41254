using System.Text.Json;
using System.Text.Json.Serialization;
using Atlas.Contracts.Moderation;

namespace Atlas.Gateway.Outbound;

/// <summary>
/// One moderation action as it waits in its chat's action lane in Redis, with its retry state, so a restarted gateway
/// continues the backoff (or the parking) where the old one left it.
/// </summary>
internal sealed record QueuedAction(ModerationActionRequested Action, DateTimeOffset EnqueuedAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The W3C traceparent of the work that queued it, so its execution joins the same trace.</summary>
    public string? TraceParent { get; init; }

    /// <summary>Failed attempts so far (transient errors and flood waits).</summary>
    public int Attempts { get; init; }

    /// <summary>When the first of the current run of failures happened.</summary>
    public DateTimeOffset? FailingSince { get; init; }

    /// <summary>True while the action is parked (a flood wait beyond the cap, or failing past the retry horizon).</summary>
    public bool Parked { get; init; }

    /// <summary>A short name for logs: the action and its id.</summary>
    public string Name => $"{Action.Action} {Action.ActionId:N}";

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    /// <summary>The queued action, or null when <paramref name="json"/> is not one.</summary>
    public static QueuedAction? TryDeserialize(string json)
    {
        try
        {
            var queued = JsonSerializer.Deserialize<QueuedAction>(json, Json);
            return queued is { Action: { ActionId: var id } } && id != Guid.Empty ? queued : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The same action after one more failed attempt at <paramref name="now"/>.</summary>
    public QueuedAction Failed(DateTimeOffset now, bool parked) =>
        this with { Attempts = Attempts + 1, FailingSince = FailingSince ?? now, Parked = parked };
}
