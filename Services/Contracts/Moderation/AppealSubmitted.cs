namespace Atlas.Contracts.Moderation;

/// <summary>
/// A user wrote <c>/appeal [chat id] text</c> to the bot in private; Moderation records it for the chat's admins.
/// <see cref="ChatId"/> is null when the user did not name the chat (Moderation then takes their latest restriction).
/// </summary>
public sealed record AppealSubmitted(long UpdateId, long UserId, long? ChatId, string Text, DateTimeOffset SubmittedAt);
