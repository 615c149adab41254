namespace Atlas.Contracts.Llm;

/// <summary>The answer to <see cref="AddKnowledgeDocuments"/> when every document was stored: their ids, in order.</summary>
public sealed record KnowledgeDocumentsAdded(IReadOnlyList<string> Ids);
