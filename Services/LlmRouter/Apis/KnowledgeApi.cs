using Atlas.LlmRouter.Knowledge;
using Atlas.ServiceDefaults.Http;
using Atlas.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Atlas.LlmRouter.Apis;

/// <summary>
/// The knowledge base over HTTP: <c>POST /knowledge/documents</c> (one JSON document, or Markdown / plain text with
/// <c>?title=</c>), <c>POST /knowledge/documents:bulk</c> (a JSON array) — both behind the admin key — and
/// <c>GET /knowledge/search?q=&amp;lang=&amp;limit=</c>. Rejections are problem details naming the PII rule.
/// </summary>
public static class KnowledgeApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static RouteGroupBuilder MapKnowledgeApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/knowledge").WithTags("Knowledge");
        api.MapPost("/documents", AddDocumentAsync).RequireOpsKey(AdminApi.KeyPath).WithName("AddKnowledgeDocument");
        api.MapPost("/documents:bulk", AddDocumentsAsync).RequireOpsKey(AdminApi.KeyPath).WithName("AddKnowledgeDocuments");
        api.MapGet("/search", SearchAsync).WithName("SearchKnowledge");
        return api;
    }

    public static async Task<Results<Created<IngestResult>, ProblemHttpResult>> AddDocumentAsync(
        HttpRequest request, KnowledgeIngestor ingestor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        KnowledgeDocumentInput? input;
        string? reason = null;
        if (mediaType is "text/markdown" or "text/plain")
        {
            using var reader = new StreamReader(request.Body);
            var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            var query = request.Query;
            input = new KnowledgeDocumentInput(
                query["id"], query["title"], text, query["source"], query["lang"],
                query["tags"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                mediaType == "text/markdown" ? "markdown" : "plain");
        }
        else if (mediaType is "application/json")
        {
            (input, reason) = await ReadJsonAsync<KnowledgeDocumentInput>(request, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            return TypedResults.Problem("Send application/json, text/markdown or text/plain.", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type");
        }

        if (input is null)
        {
            return TypedResults.Problem(
                $"The body is not a JSON document. {reason}".TrimEnd(), statusCode: StatusCodes.Status400BadRequest, title: "Invalid document");
        }

        return await IngestAsync([input], ingestor, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<Results<Created<IngestResult>, ProblemHttpResult>> AddDocumentsAsync(
        HttpRequest request, KnowledgeIngestor ingestor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (inputs, reason) = await ReadJsonAsync<List<KnowledgeDocumentInput>>(request, cancellationToken).ConfigureAwait(false);
        if (inputs is null)
        {
            return TypedResults.Problem(
                $"The body must be a JSON array of documents. {reason}".TrimEnd(), statusCode: StatusCodes.Status400BadRequest, title: "Invalid batch");
        }

        return await IngestAsync(inputs, ingestor, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<Results<Ok<SearchResult>, ProblemHttpResult>> SearchAsync(
        string? q, string? lang, int? limit, IKnowledgeStore store, IOptionsMonitor<KnowledgeOptions> options, CancellationToken cancellationToken)
    {
        var max = options.CurrentValue.MaxSearchLimit;
        q = KnowledgeQuery.Clean(q);
        if (string.IsNullOrWhiteSpace(q))
        {
            return TypedResults.Problem("Give the search text as ?q=.", statusCode: StatusCodes.Status400BadRequest, title: "Missing query");
        }

        if (limit is { } given && (given < 1 || given > max))
        {
            return TypedResults.Problem($"limit must be between 1 and {max}.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit");
        }

        var hits = await store.SearchAsync(new KnowledgeQuery(q.Trim(), lang, limit ?? 5), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new SearchResult(q.Trim(), [.. hits.Select(h => new SearchHit(h.DocumentId, h.Title, h.Source, h.Snippet, h.Rank))]));
    }

    private static async Task<Results<Created<IngestResult>, ProblemHttpResult>> IngestAsync(
        IReadOnlyList<KnowledgeDocumentInput> inputs, KnowledgeIngestor ingestor, CancellationToken cancellationToken)
    {
        var (ids, rejection) = await ingestor.IngestAsync(inputs, cancellationToken).ConfigureAwait(false);
        if (rejection is not null)
        {
            var extensions = new Dictionary<string, object?>();
            if (rejection.Rule is not null)
            {
                extensions["rule"] = rejection.Rule;
                extensions["field"] = rejection.Field;
            }

            if (rejection.Index is not null)
            {
                extensions["index"] = rejection.Index;
            }

            var status = rejection.Rule is null ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity;
            return TypedResults.Problem(rejection.Detail, statusCode: status, title: rejection.Title, extensions: extensions);
        }

        return TypedResults.Created(ids.Count == 1 ? $"/knowledge/documents/{Uri.EscapeDataString(ids[0])}" : (string?)null, new IngestResult(ids));
    }

    // Null with the reason when the body is not JSON of the expected shape (a property documents do not have included).
    private static async Task<(T? Value, string? Reason)> ReadJsonAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return (await JsonSerializer.DeserializeAsync<T>(request.Body, Json, cancellationToken).ConfigureAwait(false), null);
        }
        catch (JsonException exception)
        {
            return (null, BadRequestProblems.Describe(exception));
        }
    }
}

/// <summary>The ids of the stored documents.</summary>
public sealed record IngestResult(IReadOnlyList<string> Ids);

/// <summary>A search answer: the query and the hits, best first.</summary>
public sealed record SearchResult(string Query, IReadOnlyList<SearchHit> Hits);

/// <summary>A hit with its highlighted snippet (matches in **bold**).</summary>
public sealed record SearchHit(string DocumentId, string Title, string Source, string Snippet, double Rank);
