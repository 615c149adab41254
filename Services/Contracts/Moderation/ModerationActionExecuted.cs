namespace Atlas.Contracts.Moderation;

/// <summary>
/// The gateway carried out (or Telegram refused) a <see cref="ModerationActionRequested"/>; <see cref="Outcome"/> is
/// "done", "done: ..." or "refused: ..." . Moderation adds it to the audit trail.
/// </summary>
public sealed record ModerationActionExecuted(Guid ActionId, long ChatId, string Outcome, DateTimeOffset ExecutedAt);
