using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Telegram.Chats;

/// <summary>One chat a bot knows: its kind, members, history and (for a private chat) whether the user blocked the bot.</summary>
internal sealed class SandboxChat(long id, string type)
{
    public const string Private = "private";
    public const string Group = "group";
    public const string Supergroup = "supergroup";
    public const string Channel = "channel";

    public static readonly IReadOnlyList<string> Types = [Private, Group, Supergroup, Channel];

    private readonly List<StoredMessage> _messages = [];
    private readonly Dictionary<long, StoredMessage> _byId = [];
    private long _nextMessageId = 1;

    public long Id { get; } = id;

    public string Type { get; set; } = type;

    public string? Title { get; set; }

    public string? Username { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    /// <summary>For a group upgraded to a supergroup: the supergroup's id; calls naming the group answer 400 with it.</summary>
    public long? MigratedTo { get; set; }

    /// <summary>For a private chat: the user blocked the bot, so sends answer 403.</summary>
    public bool BlockedByUser { get; set; }

    public Dictionary<long, ChatMembership> Members { get; } = [];

    public IReadOnlyList<StoredMessage> Messages => _messages;

    public bool IsGroup => Type is Group or Supergroup;

    /// <summary>The Telegram Chat object.</summary>
    public JsonObject ToJson() => new JsonObject { ["id"] = Id, ["type"] = Type }
        .SetText("title", Title)
        .SetText("username", Username)
        .SetText("first_name", FirstName)
        .SetText("last_name", LastName);

    /// <summary>The next message_id of this chat (user and bot messages share one sequence, as in Telegram).</summary>
    public long TakeMessageId() => _nextMessageId++;

    /// <summary>Keeps <paramref name="message"/> in the history; ids given from outside move the sequence on.</summary>
    public StoredMessage Record(long messageId, JsonObject message, bool fromBot)
    {
        var stored = new StoredMessage(messageId, message, fromBot);
        if (_byId.TryGetValue(messageId, out var earlier))
        {
            _messages.Remove(earlier);
        }

        _byId[messageId] = stored;
        _messages.Add(stored);
        _nextMessageId = Math.Max(_nextMessageId, messageId + 1);
        return stored;
    }

    /// <summary>A message of this chat that was not deleted, or null.</summary>
    public StoredMessage? Find(long messageId) =>
        _byId.TryGetValue(messageId, out var message) && !message.Deleted ? message : null;

    /// <summary>The membership of <paramref name="userId"/>, created as "left" when the chat never saw the user.</summary>
    public ChatMembership MembershipOf(long userId)
    {
        if (!Members.TryGetValue(userId, out var membership))
        {
            membership = new ChatMembership(ChatMembership.Left);
            Members[userId] = membership;
        }

        return membership;
    }
}
