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

/// <summary>What a restricted member may still do; unset means "not allowed" when restricting.</summary>
public sealed record ChatPermissions
{
    public bool? CanSendMessages { get; init; }
    public bool? CanSendAudios { get; init; }
    public bool? CanSendDocuments { get; init; }
    public bool? CanSendPhotos { get; init; }
    public bool? CanSendVideos { get; init; }
    public bool? CanSendVideoNotes { get; init; }
    public bool? CanSendVoiceNotes { get; init; }
    public bool? CanSendPolls { get; init; }
    public bool? CanSendOtherMessages { get; init; }
    public bool? CanAddWebPagePreviews { get; init; }
    public bool? CanChangeInfo { get; init; }
    public bool? CanInviteUsers { get; init; }
    public bool? CanPinMessages { get; init; }
    public bool? CanManageTopics { get; init; }

    /// <summary>Read-only: nothing may be sent (a mute).</summary>
    public static ChatPermissions Muted { get; } = new()
    {
        CanSendMessages = false, CanSendAudios = false, CanSendDocuments = false, CanSendPhotos = false,
        CanSendVideos = false, CanSendVideoNotes = false, CanSendVoiceNotes = false, CanSendPolls = false,
        CanSendOtherMessages = false, CanAddWebPagePreviews = false,
    };
}
