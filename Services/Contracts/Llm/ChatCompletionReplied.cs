namespace Atlas.Contracts.Llm;

/// <summary>The answer to <see cref="ChatCompletionRequested"/> and which provider produced it (ollama, openai, rules, apology).</summary>
public sealed record ChatCompletionReplied(string ConversationId, string Text, string Provider);
