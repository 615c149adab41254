using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Elasticsearch;

/// <summary>
/// Bodies in and out. Elasticsearch clients send <c>application/vnd.elasticsearch+json; compatible-with=N</c> (and
/// x-ndjson for bulk); the answer uses the vendor type when the client asked for it, plain JSON otherwise.
/// </summary>
internal static class EsJson
{
    public const string ProductHeader = "X-Elastic-Product";

    public static IResult Result(JsonNode body, int status = StatusCodes.Status200OK) => new EsResult(body, status);

    /// <summary>The request body as a JSON object; null for an empty body; a parse failure throws <see cref="EsRequestException"/>.</summary>
    public static async Task<JsonObject?> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var text = await ReadTextAsync(request, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new EsRequestException("request body must be a JSON object");
        }
        catch (JsonException exception)
        {
            throw new EsRequestException($"Failed to parse request body: {exception.Message}");
        }
    }

    /// <summary>
    /// The body as text. The official clients gzip request bodies by default (<c>Content-Encoding: gzip</c>), which the
    /// server accepts; so does the stand-in (gzip and deflate).
    /// </summary>
    public static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        Stream body = encoding switch
        {
            "" or "identity" => request.Body,
            "gzip" => new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
            "deflate" => new ZLibStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
            _ => throw new EsRequestException($"unsupported Content-Encoding [{encoding}]", parsing: false),
        };
        try
        {
            using var reader = new StreamReader(body, leaveOpen: true);
            return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            throw new EsRequestException($"request body is not valid {encoding}", parsing: false);
        }
        finally
        {
            if (!ReferenceEquals(body, request.Body))
            {
                await body.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private sealed class EsResult(JsonNode body, int status) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var accept = httpContext.Request.Headers.Accept.ToString();
            var vendor = accept.Contains("application/vnd.elasticsearch+json", StringComparison.OrdinalIgnoreCase);
            var version = accept.Contains("compatible-with=8", StringComparison.Ordinal) ? "8" : "9";
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = vendor ? $"application/vnd.elasticsearch+json;compatible-with={version}" : "application/json; charset=UTF-8";
            await httpContext.Response.WriteAsync(body.ToJsonString(), httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}

/// <summary>A malformed request: answered as Elasticsearch's parsing_exception or illegal_argument_exception.</summary>
internal sealed class EsRequestException(string message, bool parsing = true) : Exception(message)
{
    public bool Parsing { get; } = parsing;
}
