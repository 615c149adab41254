namespace Atlas.Gateway.Outbound;

/// <summary>
/// A message the bot will send. <see cref="IdempotencyKey"/> makes a second enqueue of the same message a no-op
/// (e.g. <c>update:42:reply</c> for the answer to update 42).
/// </summary>
public sealed record OutboundMessage(
    string IdempotencyKey,
    long ChatId,
    string Text,
    string? ParseMode = null,
    long? ReplyToMessageId = null,
    OutboundKeyboard? ReplyMarkup = null);
