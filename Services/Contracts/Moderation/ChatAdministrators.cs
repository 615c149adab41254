namespace Atlas.Contracts.Moderation;

/// <summary>The user ids of a chat's administrators (its creator included), as Telegram listed them.</summary>
public sealed record ChatAdministrators(long ChatId, IReadOnlyList<long> UserIds);
