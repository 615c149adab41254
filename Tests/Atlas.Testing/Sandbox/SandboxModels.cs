using System.Text.Json.Nodes;

namespace Atlas.Testing.Sandbox;

/// <summary>A bot the Sandbox knows.</summary>
public sealed record SandboxBot(long Id, string Token, string Username, string FirstName);

/// <summary>A user writes <see cref="Text"/> in a chat. A private chat's id defaults to <see cref="UserId"/>.</summary>
public sealed record SandboxUserMessage
{
    public long? ChatId { get; init; }

    /// <summary>"private", "group" or "supergroup".</summary>
    public string ChatType { get; init; } = "private";

    public string? ChatTitle { get; init; }

    public required long UserId { get; init; }

    public string? FirstName { get; init; }

    public string? Username { get; init; }

    public string? LanguageCode { get; init; }

    public required string Text { get; init; }

    public long? ReplyToMessageId { get; init; }
}

/// <summary>The update a user message became.</summary>
public sealed record SandboxInjectedMessage(long UpdateId, long MessageId, JsonObject Update);

/// <summary>A user presses an inline button (callback <see cref="Data"/>) under message <see cref="MessageId"/>.</summary>
public sealed record SandboxCallbackQuery(long ChatId, long UserId, long MessageId, string? Data, string? FirstName = null, string? LanguageCode = null, string? Username = null);

/// <summary>The update a button press became.</summary>
public sealed record SandboxInjectedCallbackQuery(long UpdateId, string CallbackQueryId, JsonObject Update);

/// <summary>A user joins or leaves a group; <see cref="Event"/> is "joined" or "left".</summary>
public sealed record SandboxMemberEvent(long ChatId, long UserId, string Event, string? ChatType = null, string? ChatTitle = null, string? FirstName = null, string? Username = null);

/// <summary>The service message update and the chat_member (or my_chat_member) update of a join or leave.</summary>
public sealed record SandboxInjectedMemberEvent(long UpdateId, long MessageId, JsonObject Update, long ChatMemberUpdateId, JsonObject ChatMemberUpdate);

/// <summary>One Bot API call the bot made and its answer (rejected calls included).</summary>
public sealed record SandboxAction(
    long Seq,
    DateTimeOffset At,
    string Method,
    JsonObject Parameters,
    bool Ok,
    int? ErrorCode,
    string? Description,
    int? RetryAfter,
    JsonNode? Result);

/// <summary>The supergroup a group became and the two service-message updates (migrate_to_chat_id, migrate_from_chat_id).</summary>
public sealed record SandboxChatMigration(long SupergroupId, long UpdateId, JsonObject Update, long SupergroupUpdateId, JsonObject SupergroupUpdate);

/// <summary>A message of a chat as it reads now, from a user or the bot.</summary>
public sealed record SandboxChatMessage(long MessageId, long Date, bool FromBot, long? UserId, string? Text, bool Edited, bool Deleted, JsonObject Message);

/// <summary>A chat the bot knows.</summary>
public sealed record SandboxChat(long Id, string Type, string? Title, string? Username, bool Blocked, int MessageCount);

/// <summary>A bot's send limits; 0 means unlimited.</summary>
public sealed record SandboxLimits(double PerChatPerSecond, int PerChatBurst, int PerGroupPerMinute, int GlobalPerSecond)
{
    /// <summary>No flood control at all.</summary>
    public static SandboxLimits Unlimited { get; } = new(0, 0, 0, 0);
}

/// <summary>The next <see cref="Count"/> calls of <see cref="Method"/> ("*": any) fail with <see cref="StatusCode"/> (200: only delayed by <see cref="DelayMs"/>).</summary>
public sealed record SandboxFault(string Method, int StatusCode, int? RetryAfter = null, string? Description = null, int Count = 1, int? DelayMs = null);

/// <summary>A bot's webhook and how delivery went.</summary>
public sealed record SandboxWebhook(
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

/// <summary>A Bot API answer: the HTTP status and Telegram's envelope.</summary>
public sealed record BotApiResponse(int StatusCode, JsonObject Envelope)
{
    public bool Ok => Envelope["ok"]?.GetValue<bool>() == true;

    public JsonNode? Result => Envelope["result"];

    public int? ErrorCode => Envelope["error_code"]?.GetValue<int>();

    public string? Description => Envelope["description"]?.GetValue<string>();

    public int? RetryAfter => Envelope["parameters"]?["retry_after"]?.GetValue<int>();
}
