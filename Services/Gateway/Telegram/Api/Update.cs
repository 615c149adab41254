using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atlas.Gateway.Telegram.Api;

/// <summary>
/// One Telegram update. The kinds the gateway acts on are typed; any other kind stays in <see cref="Other"/>
/// so nothing received is lost when it is re-serialised.
/// </summary>
public sealed record Update
{
    public required long UpdateId { get; init; }
    public Message? Message { get; init; }
    public Message? EditedMessage { get; init; }
    public Message? ChannelPost { get; init; }
    public CallbackQuery? CallbackQuery { get; init; }
    public ChatMemberUpdated? MyChatMember { get; init; }
    public ChatMemberUpdated? ChatMember { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Other { get; init; }

    /// <summary>The update's kind as Telegram names its field: <c>message</c>, <c>callback_query</c>, ...</summary>
    [JsonIgnore]
    public string Type =>
        Message is not null ? "message"
        : EditedMessage is not null ? "edited_message"
        : ChannelPost is not null ? "channel_post"
        : CallbackQuery is not null ? "callback_query"
        : MyChatMember is not null ? "my_chat_member"
        : ChatMember is not null ? "chat_member"
        : Other?.Keys.FirstOrDefault() ?? "unknown";

    /// <summary>The chat the update belongs to, when it has one.</summary>
    [JsonIgnore]
    public Chat? Chat =>
        Message?.Chat ?? EditedMessage?.Chat ?? ChannelPost?.Chat ?? CallbackQuery?.Message?.Chat
        ?? MyChatMember?.Chat ?? ChatMember?.Chat;

    /// <summary>The user who caused the update, when there is one.</summary>
    [JsonIgnore]
    public User? From =>
        Message?.From ?? EditedMessage?.From ?? CallbackQuery?.From ?? MyChatMember?.From ?? ChatMember?.From;
}
