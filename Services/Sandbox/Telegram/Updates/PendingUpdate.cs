using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Telegram.Updates;

/// <summary>An update waiting to be confirmed (getUpdates) or delivered (webhook).</summary>
internal sealed class PendingUpdate(long updateId, string type, JsonObject json)
{
    public long UpdateId { get; } = updateId;

    /// <summary>The update's kind, its one field besides update_id ("message", "callback_query", ...).</summary>
    public string Type { get; } = type;

    public JsonObject Json { get; } = json;

    /// <summary>True while a webhook delivery of this update is under way.</summary>
    public bool InFlight { get; set; }

    public int FailedAttempts { get; set; }

    /// <summary>When a webhook may try this update again after a failure.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }
}
