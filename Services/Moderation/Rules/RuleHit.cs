namespace Atlas.Moderation.Rules;

/// <summary>A rule a message broke, and what that calls for.</summary>
public sealed record RuleHit(string Rule, string Reason, RuleEffect Effect);

/// <summary>What a broken rule calls for, mildest first; the message itself is deleted for every one.</summary>
public enum RuleEffect
{
    /// <summary>Only the message goes.</summary>
    Delete,

    /// <summary>The message goes and its author is warned (the warn limit may escalate).</summary>
    Warn,

    /// <summary>The message goes and its author is muted for the flood mute (once per episode, see <see cref="ActivityTracker.ClaimMuteAsync"/>).</summary>
    Mute,
}

/// <summary>The rule names used in audit rows and metrics.</summary>
public static class RuleNames
{
    public const string Flood = "flood";
    public const string Rate = "rate";
    public const string Links = "links";
    public const string NewMemberLinks = "new_member_links";
    public const string BannedWord = "banned_word";
    public const string LlmSpam = "llm_spam";
    public const string Cas = "cas";
    public const string WarnLimit = "warn_limit";
    public const string Admin = "admin";
    public const string Appeal = "appeal";
}
