namespace Atlas.Contracts.Moderation;

/// <summary>A message appeared in a group the bot is in; Moderation judges it.</summary>
public sealed record MessagePosted(
    long UpdateId,
    long ChatId,
    long MessageId,
    long UserId,
    string? Username,
    string? Text,
    DateTimeOffset PostedAt);
