namespace Atlas.Contracts.Telegram;

/// <summary>
/// A group was upgraded to a supergroup: from now on Telegram knows it only as <see cref="ToChatId"/>. Services that
/// keep per-chat state (rules, warnings, memberships) move it from <see cref="FromChatId"/>. Published once per
/// upgrade seen (MessageId derived from the update), and safe to apply twice.
/// </summary>
public sealed record ChatMigrated(long FromChatId, long ToChatId, DateTimeOffset MigratedAt);
