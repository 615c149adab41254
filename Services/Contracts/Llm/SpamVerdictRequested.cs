namespace Atlas.Contracts.Llm;

/// <summary>
/// Moderation asks whether a group message it finds suspicious (but not clearly against a rule) is spam; LlmRouter
/// answers with <see cref="SpamVerdictReplied"/>. <see cref="Text"/> is the message with personal data masked;
/// <see cref="Signals"/> names what made it suspicious (e.g. <c>link</c>, <c>new_member</c>, <c>near_match</c>);
/// <see cref="AnswerWithin"/> is how long the asker waits, so the answerer gives up on models in time to reply.
/// </summary>
public sealed record SpamVerdictRequested(long ChatId, long MessageId, string Text, IReadOnlyList<string> Signals, TimeSpan AnswerWithin);
