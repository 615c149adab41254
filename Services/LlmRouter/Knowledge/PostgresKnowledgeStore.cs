using Npgsql;
using NpgsqlTypes;

namespace Atlas.LlmRouter.Knowledge;

/// <summary>
/// The knowledge base on PostgreSQL full-text search: chunks indexed with the document language's configuration
/// (english, russian), queried with OR-ed lexemes ranked by cover density; short queries (one or two words) also
/// match word prefixes and, by trigram word similarity, titles with a typo. Snippets come from <c>ts_headline</c>.
/// </summary>
public sealed class PostgresKnowledgeStore(NpgsqlDataSource dataSource) : IKnowledgeStore
{
    private const string SearchSql = """
        WITH q AS (
            SELECT CASE WHEN @prefix
                        THEN regexp_replace(replace(plainto_tsquery(@cfg::regconfig, @text)::text, ' & ', ' | '), '''( |$)', ''':*\1', 'g')
                        ELSE replace(plainto_tsquery(@cfg::regconfig, @text)::text, ' & ', ' | ')
                   END AS terms)
        , query AS (SELECT CASE WHEN terms = '' THEN NULL ELSE terms::tsquery END AS ts FROM q)
        , best AS (
            SELECT DISTINCT ON (c.document_id) c.document_id, c.ordinal,
                   coalesce(ts_rank_cd(c.search, query.ts, 32), 0) + CASE WHEN @prefix THEN word_similarity(@text, d.title) ELSE 0 END AS rank
            FROM knowledge_chunks c
            JOIN knowledge_documents d USING (document_id)
            CROSS JOIN query
            WHERE (query.ts IS NOT NULL AND c.search @@ query.ts) OR (@prefix AND @text <% d.title)
            ORDER BY c.document_id, rank DESC)
        , top AS (SELECT document_id, ordinal, rank FROM best ORDER BY rank DESC, document_id LIMIT @limit)
        SELECT t.document_id, d.title, d.source,
               ts_headline(c.language, c.body, coalesce(query.ts, ''::tsquery),
                           'StartSel=**, StopSel=**, MaxWords=30, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "'),
               c.body, t.rank
        FROM top t
        JOIN knowledge_chunks c USING (document_id, ordinal)
        JOIN knowledge_documents d USING (document_id)
        CROSS JOIN query
        ORDER BY t.rank DESC, t.document_id
        """;

    public async Task UpsertAsync(IReadOnlyList<PreparedDocument> documents, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var document in documents)
        {
            var config = KnowledgeLanguages.SearchConfiguration(document.Language);
            batch.BatchCommands.Add(Command(
                """
                INSERT INTO knowledge_documents (document_id, title, body, language, tags, source, created_at, updated_at)
                VALUES ($1, $2, $3, $4::regconfig, $5, $6, $7, $7)
                ON CONFLICT (document_id) DO UPDATE SET title = excluded.title, body = excluded.body, language = excluded.language,
                    tags = excluded.tags, source = excluded.source, updated_at = excluded.updated_at
                """,
                document.Id, document.Title, string.Join("\n\n", document.Chunks.Select(c => c.Body)), config, document.Tags.ToArray(), document.Source, now));
            batch.BatchCommands.Add(Command("DELETE FROM knowledge_chunks WHERE document_id = $1", document.Id));
            batch.BatchCommands.Add(Command(
                """
                INSERT INTO knowledge_chunks (document_id, ordinal, language, heading, body)
                SELECT $1, ordinal, $2::regconfig, heading, body FROM unnest($3::int[], $4::text[], $5::text[]) AS c(ordinal, heading, body)
                """,
                document.Id, config, document.Chunks.Select(c => c.Ordinal).ToArray(),
                document.Chunks.Select(c => c.Heading).ToArray(), document.Chunks.Select(c => c.Body).ToArray()));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var language = KnowledgeLanguages.Resolve(query.Language, query.Text);
        var words = query.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        await using var command = dataSource.CreateCommand(SearchSql);
        command.Parameters.AddWithValue("cfg", KnowledgeLanguages.SearchConfiguration(language));
        command.Parameters.AddWithValue("text", query.Text);
        command.Parameters.AddWithValue("prefix", words <= 2);
        command.Parameters.AddWithValue("limit", query.Limit);
        var hits = new List<KnowledgeHit>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            hits.Add(new KnowledgeHit(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetFloat(5)));
        }

        return hits;
    }

    public async Task<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM knowledge_documents WHERE updated_at < $1");
        command.Parameters.Add(new NpgsqlParameter { Value = cutoff, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value is DateTimeOffset at
                ? new NpgsqlParameter { Value = at, NpgsqlDbType = NpgsqlDbType.TimestampTz }
                : new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
