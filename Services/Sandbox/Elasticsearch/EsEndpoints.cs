using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Elasticsearch;

/// <summary>
/// The Elasticsearch stand-in under <c>/elasticsearch</c> (point a client at <c>{sandbox}/elasticsearch/</c>): the
/// root info, create/exists/delete index and get mapping, <c>_bulk</c>, <c>_search</c> and <c>_delete_by_query</c>,
/// with the real server's envelopes, error types and <c>X-Elastic-Product</c> header (the official clients check it).
/// </summary>
internal static class EsEndpoints
{
    public static void MapElasticsearchSandbox(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/elasticsearch").WithTags("Elasticsearch Sandbox").DisableAntiforgery().AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers[EsJson.ProductHeader] = "Elasticsearch";
            try
            {
                return await next(context).ConfigureAwait(false);
            }
            catch (EsRequestException exception)
            {
                return exception.Parsing ? EsErrors.Parsing(exception.Message) : EsErrors.BadRequest(exception.Message);
            }
            catch (Exception exception) when (exception is InvalidOperationException or FormatException)
            {
                // A field of the wrong type ("size": "ten") read from the JSON body; Elasticsearch answers such bodies with a parsing error too.
                return EsErrors.Parsing(exception.Message);
            }
        });
        api.MapGet("/", Info).WithName("ElasticsearchInfo");
        api.MapMethods("/{index}", ["HEAD"], Exists).WithName("ElasticsearchIndexExists");
        api.MapPut("/{index}", CreateAsync).WithName("ElasticsearchCreateIndex");
        api.MapDelete("/{index}", Delete).WithName("ElasticsearchDeleteIndex");
        api.MapGet("/{index}/_mapping", Mapping).WithName("ElasticsearchGetMapping");
        api.MapMethods("/_bulk", ["POST", "PUT"], (HttpRequest request, EsIndexStore store, CancellationToken ct) => EsBulk.RunAsync(request, null, store, ct));
        api.MapMethods("/{index}/_bulk", ["POST", "PUT"], (string index, HttpRequest request, EsIndexStore store, CancellationToken ct) => EsBulk.RunAsync(request, index, store, ct))
            .WithName("ElasticsearchBulk");
        api.MapMethods("/{index}/_search", ["GET", "POST"], SearchAsync).WithName("ElasticsearchSearch");
        api.MapPost("/{index}/_delete_by_query", DeleteByQueryAsync).WithName("ElasticsearchDeleteByQuery");
    }

    public static IResult Info() => EsJson.Result(new JsonObject
    {
        ["name"] = "atlas-sandbox",
        ["cluster_name"] = "sandbox",
        ["cluster_uuid"] = "sandbox-cluster",
        ["version"] = new JsonObject { ["number"] = "9.1.0", ["build_flavor"] = "default", ["lucene_version"] = "10.2.2", ["minimum_wire_compatibility_version"] = "8.19.0" },
        ["tagline"] = "You Know, for Search",
    });

    public static IResult Exists(string index, EsIndexStore store) => store.Find(index) is null ? Results.StatusCode(404) : Results.Ok();

    public static async Task<IResult> CreateAsync(string index, HttpRequest request, EsIndexStore store, CancellationToken cancellationToken)
    {
        if (!ValidName(index))
        {
            return EsErrors.InvalidIndexName(index);
        }

        var body = await EsJson.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
        var unknown = body?.Select(p => p.Key).FirstOrDefault(k => k is not ("settings" or "mappings" or "aliases"));
        if (unknown is not null)
        {
            return EsErrors.Parsing($"unknown key [{unknown}] for create index");
        }

        var mappings = (body?["mappings"] as JsonObject)?.DeepClone() as JsonObject ?? [];
        return store.TryCreate(index, mappings)
            ? EsJson.Result(new JsonObject { ["acknowledged"] = true, ["shards_acknowledged"] = true, ["index"] = index })
            : EsErrors.AlreadyExists(store.Find(index)!);
    }

    public static IResult Delete(string index, EsIndexStore store) =>
        store.Delete(index) ? EsJson.Result(new JsonObject { ["acknowledged"] = true }) : EsErrors.IndexNotFound(index);

    public static IResult Mapping(string index, EsIndexStore store) => store.Find(index) is { } found
        ? EsJson.Result(new JsonObject { [index] = new JsonObject { ["mappings"] = found.Mappings.DeepClone() } })
        : EsErrors.IndexNotFound(index);

    public static async Task<IResult> SearchAsync(string index, HttpRequest request, EsIndexStore store, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (store.Find(index) is not { } found)
        {
            return EsErrors.IndexNotFound(index);
        }

        var body = await EsJson.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false) ?? [];
        var size = (int?)body["size"] ?? 10;
        var from = (int?)body["from"] ?? 0;
        List<(string Id, JsonObject Source, double Score)> matched;
        EsQuery query;
        lock (found.Gate)
        {
            query = EsQuery.Compile(body["query"], [.. found.Documents.Values.Select(d => d.Source)]);
            matched = [.. found.Documents.Select(d => (d.Key, d.Value.Source, Score: query.Score(d.Value.Source))).Where(d => d.Score is not null)
                .Select(d => (d.Key, (JsonObject)d.Source.DeepClone(), d.Score!.Value))];
        }

        var page = matched.OrderByDescending(m => m.Score).Skip(from).Take(size).ToList();
        var hits = new JsonArray();
        foreach (var (id, source, score) in page)
        {
            var hit = new JsonObject { ["_index"] = index, ["_id"] = id, ["_score"] = score, ["_source"] = source };
            if (EsHighlighter.Highlight(body["highlight"] as JsonObject, source, query) is { } highlight)
            {
                hit["highlight"] = highlight;
            }

            hits.Add(hit);
        }

        return EsJson.Result(new JsonObject
        {
            ["took"] = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            ["timed_out"] = false,
            ["_shards"] = new JsonObject { ["total"] = 1, ["successful"] = 1, ["skipped"] = 0, ["failed"] = 0 },
            ["hits"] = new JsonObject
            {
                ["total"] = new JsonObject { ["value"] = matched.Count, ["relation"] = "eq" },
                ["max_score"] = matched.Count == 0 ? null : matched.Max(m => m.Score),
                ["hits"] = hits,
            },
        });
    }

    public static async Task<IResult> DeleteByQueryAsync(string index, HttpRequest request, EsIndexStore store, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (store.Find(index) is not { } found)
        {
            return EsErrors.IndexNotFound(index);
        }

        var body = await EsJson.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
        if (body?["query"] is not { } queryNode)
        {
            return EsErrors.BadRequest("request body or source parameter is required");
        }

        int deleted;
        lock (found.Gate)
        {
            var query = EsQuery.Compile(queryNode, [.. found.Documents.Values.Select(d => d.Source)]);
            var doomed = found.Documents.Where(d => query.Score(d.Value.Source) is not null).Select(d => d.Key).ToList();
            doomed.ForEach(id => found.Documents.Remove(id));
            deleted = doomed.Count;
        }

        return EsJson.Result(new JsonObject
        {
            ["took"] = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            ["timed_out"] = false,
            ["total"] = deleted,
            ["deleted"] = deleted,
            ["batches"] = deleted == 0 ? 0 : 1,
            ["version_conflicts"] = 0,
            ["noops"] = 0,
            ["retries"] = new JsonObject { ["bulk"] = 0, ["search"] = 0 },
            ["throttled_millis"] = 0,
            ["requests_per_second"] = -1.0,
            ["throttled_until_millis"] = 0,
            ["failures"] = new JsonArray(),
        });
    }

    public static bool ValidName(string index) =>
        index.Length is > 0 and <= 255 && !index.Any(char.IsUpper) && index[0] is not ('_' or '-' or '+')
        && index is not ("." or "..") && !index.Any(c => c is '\\' or '/' or '*' or '?' or '"' or '<' or '>' or '|' or ' ' or ',' or '#' or ':');
}
