namespace Atlas.Contracts.Llm;

/// <summary>A user's private text that needs an answer; LlmRouter replies with <see cref="ChatCompletionReplied"/>.</summary>
public sealed record ChatCompletionRequested(
    string ConversationId,
    long ChatId,
    long UserId,
    string Text,
    string? LanguageCode);
