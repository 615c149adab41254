namespace Atlas.LlmRouter.Routing;

/// <summary>One question to answer: whose conversation, who asks, the text, their language; earlier turns for HTTP callers.</summary>
public sealed record ChatQuestion(string ConversationId, long UserId, string Text, string? LanguageCode, IReadOnlyList<ChatTurn>? History = null);

/// <summary>A turn of conversation: role user or assistant.</summary>
public sealed record ChatTurn(string Role, string Content);

/// <summary>
/// The answer and where it came from: ollama, openai, rules, apology, quota or cache (the provider of a cached answer
/// is kept in <see cref="Provider"/> and <see cref="FromCache"/> is set). Token counts are those the provider reported.
/// </summary>
public sealed record ChatAnswer(string Text, string Provider, bool FromCache = false, long InputTokens = 0, long OutputTokens = 0)
{
    public const string Rules = "rules";
    public const string Apology = "apology";
    public const string Quota = "quota";

    /// <summary>Answers from a model (not rules, apology or the quota notice): the only ones cached and remembered.</summary>
    public bool IsModelAnswer => Provider is not (Rules or Apology or Quota);
}
