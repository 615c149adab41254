using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atlas.Gateway.Outbound;

/// <summary>
/// One message as it waits in a chat's queue in Redis (one part of a split text is one queued message). The retry
/// state travels with it, so a restarted gateway continues the backoff where the old one left it.
/// </summary>
internal sealed record QueuedMessage(
    string Id,
    string IdempotencyKey,
    int Part,
    int Parts,
    long ChatId,
    string Text,
    string? ParseMode,
    long? ReplyToMessageId,
    OutboundKeyboard? ReplyMarkup,
    DateTimeOffset EnqueuedAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The W3C traceparent of the work that queued it, so its send joins the same trace.</summary>
    public string? TraceParent { get; init; }

    /// <summary>Failed attempts so far (transient errors and flood waits).</summary>
    public int Attempts { get; init; }

    /// <summary>When the first of the current run of failures happened.</summary>
    public DateTimeOffset? FailingSince { get; init; }

    /// <summary>True while the message is parked (a flood wait beyond the cap, or failing past the retry horizon).</summary>
    public bool Parked { get; init; }

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    /// <summary>The queued message, or null when <paramref name="json"/> is not one.</summary>
    public static QueuedMessage? TryDeserialize(string json)
    {
        try
        {
            var message = JsonSerializer.Deserialize<QueuedMessage>(json, Json);
            return message is { Id: not null, Text: not null, IdempotencyKey: not null } ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The same message after one more failed attempt at <paramref name="now"/>.</summary>
    public QueuedMessage Failed(DateTimeOffset now, bool parked) =>
        this with { Attempts = Attempts + 1, FailingSince = FailingSince ?? now, Parked = parked };
}
