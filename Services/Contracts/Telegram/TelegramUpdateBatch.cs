namespace Atlas.Contracts.Telegram;

/// <summary>
/// Updates the gateway received from Telegram (webhook or polling), handed to the bus together: one persistent,
/// confirmed message per batch (group commit). <see cref="Updates"/> keeps the order in which they arrived.
/// </summary>
public sealed record TelegramUpdateBatch(IReadOnlyList<TelegramUpdateReceived> Updates);

/// <summary>
/// Gateway received an update from Telegram, as Telegram sent it. <see cref="UpdateId"/> is Telegram's own id and the
/// idempotency key of everything downstream; <see cref="UpdateType"/> and <see cref="ChatId"/> are read at the edge
/// without a full parse. It travels inside a <see cref="TelegramUpdateBatch"/>.
/// </summary>
public sealed record TelegramUpdateReceived(long UpdateId, string UpdateType, long? ChatId, string RawJson, DateTimeOffset ReceivedAt);
