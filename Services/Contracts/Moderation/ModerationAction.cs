namespace Atlas.Contracts.Moderation;

/// <summary>What Moderation asks the gateway to do to a member or a message.</summary>
public enum ModerationAction
{
    DeleteMessage,
    Restrict,
    Ban,
    Unban,

    /// <summary>Removes the member without a lasting ban (Telegram: banChatMember, then unbanChatMember).</summary>
    Kick,

    /// <summary>Lifts a restriction (Telegram: restrictChatMember with the default member permissions).</summary>
    Unrestrict,
}
