using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Telegram.Control;

/// <summary>A message of a chat's history, from a user or the bot.</summary>
internal sealed record ChatMessageView(long MessageId, long Date, bool FromBot, long? UserId, string? Text, bool Edited, bool Deleted, JsonObject Message);

/// <summary>A chat the bot knows.</summary>
internal sealed record ChatView(long Id, string Type, string? Title, string? Username, bool Blocked, int MessageCount);

/// <summary>The webhook as set by the bot, and how delivery went so far.</summary>
internal sealed record WebhookView(
    string? Url,
    string? SecretToken,
    int MaxConnections,
    IReadOnlyList<string>? AllowedUpdates,
    int PendingUpdateCount,
    long DeliveryAttempts,
    long Delivered,
    long FailedAttempts,
    int InFlight,
    long? LastErrorDate,
    string? LastErrorMessage);
