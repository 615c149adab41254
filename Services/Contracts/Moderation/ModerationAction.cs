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

/// <summary>What undoes an action a member appealed.</summary>
public static class AppealedAction
{
    /// <summary>
    /// The action that lifts <paramref name="appealed"/> (an action's name, as appeals carry it): <c>Unrestrict</c>
    /// after a mute (<c>Restrict</c>), <c>Unban</c> after a ban or anything else.
    /// </summary>
    public static ModerationAction LiftOf(string? appealed) =>
        appealed == nameof(ModerationAction.Restrict) ? ModerationAction.Unrestrict : ModerationAction.Unban;
}
