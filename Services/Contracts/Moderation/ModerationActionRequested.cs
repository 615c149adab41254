namespace Atlas.Contracts.Moderation;

/// <summary>
/// Moderation decided an action; the gateway executes it against Telegram. <see cref="ActionId"/> is the
/// natural key that makes execution idempotent. <see cref="Until"/> bounds a restriction or ban (null: forever).
/// </summary>
public sealed record ModerationActionRequested(
    Guid ActionId,
    ModerationAction Action,
    long ChatId,
    long UserId,
    long? MessageId,
    DateTimeOffset? Until,
    string Reason);
