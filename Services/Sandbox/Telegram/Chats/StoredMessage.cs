using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Telegram.Chats;

/// <summary>A message in a chat's history, from a user or from the bot, as it reads now.</summary>
internal sealed class StoredMessage(long messageId, JsonObject json, bool fromBot)
{
    public long MessageId { get; } = messageId;

    /// <summary>The Telegram Message object, updated by edits.</summary>
    public JsonObject Json { get; set; } = json;

    public bool FromBot { get; } = fromBot;

    public bool Edited { get; set; }

    public bool Deleted { get; set; }
}
