namespace Atlas.LlmRouter.Knowledge;

/// <summary>A document as submitted (HTTP JSON, Markdown or plain text, or the bus).</summary>
public sealed record KnowledgeDocumentInput(
    string? Id, string? Title, string? Body, string? Source = null, string? Language = null, IReadOnlyList<string>? Tags = null, string? Format = null);

/// <summary>A document ready to store: PII-checked, language resolved, cut into chunks.</summary>
public sealed record PreparedDocument(string Id, string Title, string Source, string Language, IReadOnlyList<string> Tags, IReadOnlyList<KnowledgeChunk> Chunks);

/// <summary>One retrievable piece of a document: the heading it sits under (with the document title) and its text.</summary>
public sealed record KnowledgeChunk(int Ordinal, string Heading, string Body);

/// <summary>
/// A search: the text, an optional language (en, ru) and how many hits. A NUL character in the text (which PostgreSQL
/// refuses in any string, failing the whole search) is read as a space, whoever asked: HTTP, the bus or a chat question.
/// </summary>
public sealed record KnowledgeQuery(string Text, string? Language, int Limit)
{
    public string Text { get; } = Clean(Text);

    /// <summary><paramref name="text"/> as a search reads it: a NUL is a space.</summary>
    public static string Clean(string? text) => text?.Replace('\0', ' ') ?? "";
}

/// <summary>A matching document: its best chunk's highlighted snippet (matches in **bold**) and that chunk's text.</summary>
public sealed record KnowledgeHit(string DocumentId, string Title, string Source, string Snippet, string Passage, double Rank);

/// <summary>Where documents live and are searched: PostgreSQL full-text search by default, Elasticsearch when configured.</summary>
public interface IKnowledgeStore
{
    Task UpsertAsync(IReadOnlyList<PreparedDocument> documents, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes documents last updated before <paramref name="cutoff"/>; returns how many.</summary>
    Task<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
