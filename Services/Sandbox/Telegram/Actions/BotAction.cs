using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Atlas.Sandbox.Telegram.Actions;

/// <summary>One Bot API call a bot made and how it was answered; the control API's actions item.</summary>
internal sealed record BotAction(
    long Seq,
    DateTimeOffset At,
    string Method,
    JsonObject Parameters,
    bool Ok,
    int? ErrorCode,
    string? Description,
    int? RetryAfter,
    JsonNode? Result)
{
    /// <summary>True for the calls that only read (getUpdates, getMe, getWebhookInfo), left out of the log by default.</summary>
    [JsonIgnore]
    public bool IsRead => ReadMethods.Contains(Method);

    public static readonly HashSet<string> ReadMethods = new(StringComparer.OrdinalIgnoreCase) { "getUpdates", "getMe", "getWebhookInfo" };
}
