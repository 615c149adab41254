using System.ComponentModel.DataAnnotations;

namespace Atlas.LlmRouter.Knowledge;

/// <summary>What the PII filter does with personal data in a document.</summary>
public enum PiiMode
{
    /// <summary>Refuse the document and name the rule that matched.</summary>
    Reject,

    /// <summary>Replace each match with a placeholder such as <c>[email]</c> and store the rest.</summary>
    Mask,
}

/// <summary><c>Knowledge</c>: PII handling, chunk size, search limits and retention.</summary>
public sealed class KnowledgeOptions
{
    public const string Section = "Knowledge";

    public PiiMode Pii { get; init; } = PiiMode.Reject;

    /// <summary>Documents not updated for this many days are deleted; 0 keeps them forever.</summary>
    [Range(0, 36_500)]
    public int RetentionDays { get; init; }

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan RetentionSweepInterval { get; init; } = TimeSpan.FromHours(1);

    [Range(200, 20_000)]
    public int ChunkChars { get; init; } = 900;

    [Range(1, 100)]
    public int MaxSearchLimit { get; init; } = 20;

    [Range(1, 100_000)]
    public int MaxBulkDocuments { get; init; } = 1000;

    [Range(1, 1_000_000)]
    public int MaxDocumentChars { get; init; } = 200_000;

    /// <summary>The index used when <c>ConnectionStrings:elasticsearch</c> is set (Elasticsearch index names are lowercase).</summary>
    /// <summary>
    /// The most PostgreSQL connections the knowledge base holds (the pool's <c>Maximum Pool Size</c>, unless the
    /// connection string names one). Every question runs a search, so a burst queues for a connection instead of
    /// starting a server process per request.
    /// </summary>
    [Range(1, 1000)]
    public int MaxConnections { get; init; } = 16;

    [RegularExpression("^[a-z0-9][a-z0-9._-]{0,200}$")]
    public string ElasticsearchIndex { get; init; } = "atlas-knowledge";
}
