using System.Text.Json.Serialization;

namespace Atlas.LlmRouter.Knowledge.Elasticsearch;

/// <summary>A knowledge document as stored in the index; <see cref="Chunks"/> is kept in the source, not indexed.</summary>
public sealed record IndexedDocument(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("body")] string Body,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("language")] string Language,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags,
    [property: JsonPropertyName("chunks")] IReadOnlyList<IndexedChunk> Chunks,
    [property: JsonPropertyName("created")] DateTimeOffset Created,
    [property: JsonPropertyName("updated")] DateTimeOffset Updated)
{
    public static IndexedDocument From(PreparedDocument document, DateTimeOffset created, DateTimeOffset updated)
    {
        ArgumentNullException.ThrowIfNull(document);
        var chunks = document.Chunks.Select(c => new IndexedChunk(c.Heading, c.Body)).ToList();
        return new IndexedDocument(document.Title, string.Join("\n\n", chunks.Select(c => c.Body)), document.Source, document.Language, document.Tags, chunks, created, updated);
    }
}

/// <summary>The partial document of an update: everything but the created time, which only the first insert sets.</summary>
public sealed record IndexedDocumentUpdate(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("body")] string Body,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("language")] string Language,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags,
    [property: JsonPropertyName("chunks")] IReadOnlyList<IndexedChunk> Chunks,
    [property: JsonPropertyName("updated")] DateTimeOffset Updated)
{
    public static IndexedDocumentUpdate From(IndexedDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new IndexedDocumentUpdate(document.Title, document.Body, document.Source, document.Language, document.Tags, document.Chunks, document.Updated);
    }
}

/// <summary>One chunk: its heading and text, returned as the grounding passage when it matches best.</summary>
public sealed record IndexedChunk([property: JsonPropertyName("heading")] string Heading, [property: JsonPropertyName("body")] string Body);

/// <summary>Picks the chunk sharing the most words with the query (the first on a tie) as the hit's passage.</summary>
internal static class PassageFinder
{
    public static string Best(IReadOnlyList<IndexedChunk>? chunks, string query)
    {
        if (chunks is not { Count: > 0 })
        {
            return "";
        }

        var words = Words(query).ToHashSet(StringComparer.Ordinal);
        return chunks.Select((c, i) => (Chunk: c, Index: i, Score: Words(c.Body).Count(words.Contains)))
            .OrderByDescending(c => c.Score).ThenBy(c => c.Index).First().Chunk.Body;
    }

    private static string[] Words(string text) =>
        text.ToLowerInvariant().Split(text.Where(ch => !char.IsLetterOrDigit(ch)).Distinct().ToArray(), StringSplitOptions.RemoveEmptyEntries);
}
