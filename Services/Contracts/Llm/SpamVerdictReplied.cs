namespace Atlas.Contracts.Llm;

/// <summary>
/// The answer to <see cref="SpamVerdictRequested"/>. <see cref="Verdict"/> is <c>spam</c>, <c>ham</c> or <c>unknown</c>
/// (no model answered, or its answer was neither); <see cref="Provider"/> names the model provider that answered
/// (ollama, openai) or <c>none</c>; <see cref="Reason"/> is a short explanation without message text.
/// </summary>
public sealed record SpamVerdictReplied(string Verdict, string Provider, string Reason)
{
    public const string Spam = "spam";
    public const string Ham = "ham";
    public const string Unknown = "unknown";
}
