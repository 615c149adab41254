namespace Atlas.Contracts.Llm;

/// <summary>The best matches for a <see cref="KnowledgeSearchRequested"/>, best first.</summary>
public sealed record KnowledgeSearchResults(string Query, IReadOnlyList<KnowledgeSearchHit> Hits);

/// <summary>One knowledge-base document that matched, with a highlighted snippet.</summary>
public sealed record KnowledgeSearchHit(string DocumentId, string Title, string Snippet, double Rank);
