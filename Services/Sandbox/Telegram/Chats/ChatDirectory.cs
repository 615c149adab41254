using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Telegram.Chats;

/// <summary>The chats and users one bot knows. Not thread-safe: the owning bot's lock guards it.</summary>
internal sealed class ChatDirectory
{
    private readonly Dictionary<long, SandboxChat> _chats = [];
    private readonly Dictionary<long, JsonObject> _users = [];

    public IEnumerable<SandboxChat> Chats => _chats.Values;

    public SandboxChat? Find(long chatId) => _chats.GetValueOrDefault(chatId);

    /// <summary>Finds a chat by "@username" (the Bot API's other form of chat_id).</summary>
    public SandboxChat? FindByUsername(string username) =>
        _chats.Values.FirstOrDefault(c => string.Equals("@" + c.Username, username, StringComparison.OrdinalIgnoreCase));

    /// <summary>The chat with <paramref name="chatId"/>, created with <paramref name="type"/> when new.</summary>
    public SandboxChat GetOrAdd(long chatId, string type)
    {
        if (!_chats.TryGetValue(chatId, out var chat))
        {
            chat = new SandboxChat(chatId, type);
            _chats[chatId] = chat;
        }

        return chat;
    }

    /// <summary>Learns a chat from a Chat object in an update, keeping what it says about title and names.</summary>
    public SandboxChat Learn(JsonObject chatJson)
    {
        var chat = GetOrAdd(chatJson.Long("id")!.Value, chatJson.Text("type") ?? SandboxChat.Private);
        chat.Type = chatJson.Text("type") ?? chat.Type;
        chat.Title = chatJson.Text("title") ?? chat.Title;
        chat.Username = chatJson.Text("username") ?? chat.Username;
        chat.FirstName = chatJson.Text("first_name") ?? chat.FirstName;
        chat.LastName = chatJson.Text("last_name") ?? chat.LastName;
        return chat;
    }

    public void Forget(long chatId) => _chats.Remove(chatId);

    /// <summary>Learns a user from a User object.</summary>
    public void LearnUser(JsonObject user)
    {
        if (user.Long("id") is { } id)
        {
            _users[id] = user.Copy();
        }
    }

    /// <summary>The User object last seen for <paramref name="userId"/>, or null.</summary>
    public JsonObject? User(long userId) => _users.TryGetValue(userId, out var user) ? user.Copy() : null;
}
