using System.Text.Json;
using System.Text.Json.Serialization;
using Atlas.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atlas.Backup.Apis;

/// <summary>
/// Reads JSON bodies so that a malformed one gets a problem with the reason and where it is, not an empty 400. A
/// property the body does not have is refused too: on a restore, a misspelt or imagined field (<c>"dryRun": true</c>)
/// must not be dropped while the restore goes ahead.
/// </summary>
internal static class ApiBodies
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static async Task<(T? Body, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : class
    {
        if (request.ContentLength == 0 || !request.HasJsonContentType())
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "A JSON body is required", "Send the request body as application/json."));
        }

        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, Json, cancellationToken).ConfigureAwait(false);
            return body is null ? (null, Problem(StatusCodes.Status400BadRequest, "A JSON body is required", "The body was JSON null.")) : (body, null);
        }
        catch (JsonException exception)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "Malformed JSON body", BadRequestProblems.Describe(exception)));
        }
    }

    public static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title);
}
