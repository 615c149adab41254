namespace Atlas.Gateway.Telegram.Api;

/// <summary>A Telegram message (the fields the gateway reads).</summary>
public sealed record Message
{
    public required long MessageId { get; init; }
    public long Date { get; init; }
    public required Chat Chat { get; init; }
    public User? From { get; init; }
    public long? MessageThreadId { get; init; }
    public string? Text { get; init; }
    public string? Caption { get; init; }
    public IReadOnlyList<MessageEntity>? Entities { get; init; }
    public Message? ReplyToMessage { get; init; }
    public IReadOnlyList<User>? NewChatMembers { get; init; }
    public User? LeftChatMember { get; init; }

    /// <summary>The group was upgraded to this supergroup (a service message, the group's last).</summary>
    public long? MigrateToChatId { get; init; }

    /// <summary>This supergroup was the group with this id (a service message, the supergroup's first).</summary>
    public long? MigrateFromChatId { get; init; }

    /// <summary>
    /// The command at the start of the text (<c>/search@MyBot foo</c> gives <c>search</c>, <c>MyBot</c>, <c>foo</c>),
    /// or null when the message is not a command.
    /// </summary>
    public BotCommandText? Command => BotCommandText.Parse(Text);
}

/// <summary>A special entity in a text: command, mention, URL, bold, ...</summary>
public sealed record MessageEntity(string Type, int Offset, int Length);
