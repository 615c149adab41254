using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Core.Bulk;
using Elastic.Clients.Elasticsearch.Core.Search;
using Elastic.Clients.Elasticsearch.IndexManagement;
using Elastic.Clients.Elasticsearch.Mapping;
using Elastic.Clients.Elasticsearch.QueryDsl;
using Elastic.Transport.Products.Elasticsearch;

namespace Atlas.LlmRouter.Knowledge.Elasticsearch;

/// <summary>
/// The knowledge base on Elasticsearch (when <c>ConnectionStrings:elasticsearch</c> is set): one index document per
/// knowledge document, created with explicit mappings on first use; bulk upserts that keep the created time;
/// <c>multi_match</c> search with a highlighted body snippet; retention by <c>delete_by_query</c> on the updated time.
/// </summary>
public sealed class ElasticsearchKnowledgeStore(ElasticsearchClient client, ElasticsearchIndex index) : IKnowledgeStore, IDisposable
{
    private const int SnippetChars = 160;
    private readonly SemaphoreSlim _created = new(1, 1);
    private volatile bool _ready;

    public async Task UpsertAsync(IReadOnlyList<PreparedDocument> documents, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var operations = new BulkOperationsCollection();
        foreach (var document in documents)
        {
            var stored = IndexedDocument.From(document, now, now);
            operations.Add(new BulkUpdateOperation<IndexedDocument, IndexedDocumentUpdate>(document.Id) { Doc = IndexedDocumentUpdate.From(stored), Upsert = stored });
        }

        var response = await client.BulkAsync(new BulkRequest(index.Name) { Operations = operations, Refresh = Refresh.True }, cancellationToken).ConfigureAwait(false);
        EnsureValid(response, "bulk");
        if (response.Errors)
        {
            var failed = response.ItemsWithErrors.First();
            throw new ElasticsearchStoreException($"Elasticsearch bulk rejected document {failed.Id}: {failed.Error?.Type}");
        }
    }

    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var match = new BoolQuery { Must = [new MultiMatchQuery(query.Text) { Fields = new[] { "title^3", "body" } }] };
        var given = query.Language?.Trim().ToLowerInvariant();
        if (given is not null && (given.StartsWith(KnowledgeLanguages.English, StringComparison.Ordinal) || given.StartsWith(KnowledgeLanguages.Russian, StringComparison.Ordinal)))
        {
            match.Filter = [new TermQuery { Field = "language", Value = KnowledgeLanguages.Resolve(given, query.Text) }];
        }

        var request = new SearchRequest(index.Name)
        {
            Size = query.Limit,
            Query = match,
            Highlight = new Highlight
            {
                PreTags = ["**"],
                PostTags = ["**"],
                Fields = [new KeyValuePair<Field, HighlightField>("body", new HighlightField { FragmentSize = SnippetChars, NumberOfFragments = 1 })],
            },
        };
        var response = await client.SearchAsync<IndexedDocument>(request, cancellationToken).ConfigureAwait(false);
        EnsureValid(response, "search");
        return [.. response.Hits.Where(h => h.Source is not null).Select(h => ToHit(h, query.Text))];
    }

    public async Task<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var request = new DeleteByQueryRequest(index.Name) { Query = new DateRangeQuery("updated") { Lt = cutoff.UtcDateTime }, Refresh = true };
        var response = await client.DeleteByQueryAsync(request, cancellationToken).ConfigureAwait(false);
        EnsureValid(response, "delete_by_query");
        return response.Deleted ?? 0;
    }

    public void Dispose() => _created.Dispose();

    private static KnowledgeHit ToHit(Hit<IndexedDocument> hit, string query)
    {
        var source = hit.Source!;
        var snippet = hit.Highlight is not null && hit.Highlight.TryGetValue("body", out var fragments) && fragments.Count > 0
            ? fragments.First()
            : source.Body.Length <= SnippetChars ? source.Body : source.Body[..SnippetChars];
        return new KnowledgeHit(hit.Id!, source.Title, source.Source, snippet, PassageFinder.Best(source.Chunks, query), hit.Score ?? 0);
    }

    private async Task EnsureIndexAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }

        await _created.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_ready)
            {
                var exists = await client.Indices.ExistsAsync(index.Name, cancellationToken).ConfigureAwait(false);
                if (!exists.Exists)
                {
                    var created = await client.Indices.CreateAsync(new CreateIndexRequest(index.Name) { Mappings = Mappings() }, cancellationToken).ConfigureAwait(false);
                    // Another instance may have created it between the two calls.
                    if (!created.IsValidResponse && created.ElasticsearchServerError?.Error?.Type != "resource_already_exists_exception")
                    {
                        EnsureValid(created, "create index");
                    }
                }

                _ready = true;
            }
        }
        finally
        {
            _created.Release();
        }
    }

    private static TypeMapping Mappings() => new()
    {
        Properties = new Properties
        {
            { "title", new TextProperty() },
            { "body", new TextProperty() },
            { "source", new KeywordProperty() },
            { "language", new KeywordProperty() },
            { "tags", new KeywordProperty() },
            { "created", new DateProperty() },
            { "updated", new DateProperty() },
            { "chunks", new ObjectProperty { Enabled = false } },
        },
    };

    private static void EnsureValid(ElasticsearchResponse response, string operation)
    {
        if (!response.IsValidResponse)
        {
            throw new ElasticsearchStoreException(
                $"Elasticsearch {operation} failed with status {response.ApiCallDetails?.HttpStatusCode}: {response.ElasticsearchServerError?.Error?.Type ?? "no answer"}");
        }
    }
}

/// <summary>The index the knowledge base lives in (<c>Knowledge:ElasticsearchIndex</c>).</summary>
public sealed record ElasticsearchIndex(string Name);

/// <summary>Elasticsearch refused or failed a call; the message names the operation and the error type, never a document.</summary>
public sealed class ElasticsearchStoreException(string message) : Exception(message);
