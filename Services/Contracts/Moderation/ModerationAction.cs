namespace Atlas.Contracts.Moderation;

/// <summary>What Moderation asks the gateway to do to a member or a message.</summary>
public enum ModerationAction
{
    DeleteMessage,
    Restrict,
    Ban,
    Unban,
}
