namespace Atlas.Contracts.Moderation;

/// <summary>A member joined a group the bot is in; Moderation starts its new-member restrictions from <see cref="JoinedAt"/>.</summary>
public sealed record MemberJoined(long UpdateId, long ChatId, long UserId, string? Username, DateTimeOffset JoinedAt);
