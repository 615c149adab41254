namespace Atlas.Contracts.Telegram;

/// <summary>
/// Asks the gateway to send a text message. The gateway's outbound sender honours Telegram's limits;
/// <see cref="IdempotencyKey"/> makes a redelivered command send nothing twice.
/// </summary>
public sealed record SendTelegramMessage(
    string IdempotencyKey,
    long ChatId,
    string Text,
    string? ParseMode = null,
    long? ReplyToMessageId = null);
