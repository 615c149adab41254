namespace Atlas.Contracts.Llm;

/// <summary>
/// Feeds the knowledge base over the bus: LlmRouter stores the documents (all or none) and, when asked as a request,
/// answers <see cref="KnowledgeDocumentsAdded"/> or <see cref="KnowledgeDocumentsRejected"/>.
/// </summary>
public sealed record AddKnowledgeDocuments(IReadOnlyList<KnowledgeDocument> Documents);

/// <summary>
/// A document to store. Without an <see cref="Id"/>, one is derived from title and body, so re-sending updates it.
/// <see cref="Format"/> is <c>markdown</c> (the default) or <c>plain</c>; <see cref="Language"/> is <c>en</c> or <c>ru</c>,
/// detected when absent.
/// </summary>
public sealed record KnowledgeDocument(
    string? Id, string Title, string Body, string? Source = null, string? Language = null, IReadOnlyList<string>? Tags = null, string? Format = null);
