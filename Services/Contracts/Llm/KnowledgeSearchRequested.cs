namespace Atlas.Contracts.Llm;

/// <summary>A <c>/search</c> query against the knowledge base; answered with <see cref="KnowledgeSearchResults"/>.</summary>
public sealed record KnowledgeSearchRequested(long ChatId, long UserId, string Query, int Limit);
