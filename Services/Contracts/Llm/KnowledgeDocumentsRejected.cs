namespace Atlas.Contracts.Llm;

/// <summary>
/// The answer to <see cref="AddKnowledgeDocuments"/> when nothing was stored: why, the PII rule that matched (email,
/// phone, card, token) and its field when that was the reason, and the position of the document in a batch.
/// </summary>
public sealed record KnowledgeDocumentsRejected(string Reason, string Detail, string? Rule = null, string? Field = null, int? Index = null);
