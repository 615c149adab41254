using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atlas.Gateway.Outbound;

/// <summary>
/// A message that will not be sent, kept (newest first) in the dead-letter list <c>gateway:outbound:dead</c> with the
/// reason: a permanent Telegram error, an invalid command from the bus, or a queue entry that could not be read
/// (<see cref="Raw"/>). Ops can read and replay them; nothing is dropped silently.
/// </summary>
internal sealed record DeadLetter(QueuedMessage? Message, string? Raw, string Reason, int? ErrorCode, DateTimeOffset FailedAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    public static DeadLetter? TryDeserialize(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<DeadLetter>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
