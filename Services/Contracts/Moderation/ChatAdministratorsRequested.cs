namespace Atlas.Contracts.Moderation;

/// <summary>Moderation asks the gateway who administers a chat (Telegram getChatAdministrators); the answer is <see cref="ChatAdministrators"/>.</summary>
public sealed record ChatAdministratorsRequested(long ChatId);
