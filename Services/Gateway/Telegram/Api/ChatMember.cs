namespace Atlas.Gateway.Telegram.Api;

/// <summary>A user's membership of a chat: <c>creator</c>, <c>administrator</c>, <c>member</c>, <c>restricted</c>, <c>left</c>, <c>kicked</c>.</summary>
public sealed record ChatMember
{
    public required string Status { get; init; }
    public required User User { get; init; }
    public long? UntilDate { get; init; }

    public bool IsAdministrator => Status is "creator" or "administrator";

    public bool IsPresent => Status is "creator" or "administrator" or "member" or "restricted";
}

/// <summary>A change of someone's membership (<c>my_chat_member</c> is the bot's own).</summary>
public sealed record ChatMemberUpdated
{
    public required Chat Chat { get; init; }
    public required User From { get; init; }
    public long Date { get; init; }
    public required ChatMember OldChatMember { get; init; }
    public required ChatMember NewChatMember { get; init; }
}
