namespace Atlas.Contracts.Telegram;

/// <summary>
/// Gateway received an update from Telegram (polling or webhook). <see cref="UpdateId"/> is Telegram's
/// own id and the idempotency key of everything downstream.
/// </summary>
public sealed record TelegramUpdateReceived(
    long UpdateId,
    string UpdateType,
    long? ChatId,
    string? ChatType,
    long? UserId,
    string? LanguageCode,
    string? Text,
    string RawJson,
    DateTimeOffset ReceivedAt);
