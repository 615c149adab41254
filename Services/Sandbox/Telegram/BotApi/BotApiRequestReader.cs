using System.Text.Json;
using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Telegram.BotApi;

/// <summary>
/// Reads a Bot API call's parameters the four ways Telegram accepts them: the query string, and a body of
/// application/json, application/x-www-form-urlencoded or multipart/form-data. Body values win over query values.
/// </summary>
internal static class BotApiRequestReader
{
    /// <summary>The parameters as given (strings from query and forms, JSON values from a JSON body), or an error text.</summary>
    public static async Task<(RawParameters? Parameters, string? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var parameters = new RawParameters();
        foreach (var (name, values) in request.Query)
        {
            parameters.Values[name] = JsonValue.Create(values.ToString());
        }

        if (!HttpMethods.IsPost(request.Method) || request.ContentLength == 0)
        {
            return (parameters, null);
        }

        if (request.HasJsonContentType())
        {
            return await ReadJsonAsync(request, parameters, cancellationToken).ConfigureAwait(false);
        }

        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (name, values) in form)
            {
                parameters.Values[name] = JsonValue.Create(values.ToString());
            }

            foreach (var file in form.Files)
            {
                parameters.Values[file.Name] = JsonValue.Create(file.FileName);
                parameters.Files.Add(file.Name);
            }
        }

        return (parameters, null);
    }

    private static async Task<(RawParameters?, string?)> ReadJsonAsync(HttpRequest request, RawParameters parameters, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return (parameters, null);
        }

        JsonNode? body;
        try
        {
            body = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return (null, "Bad Request: can't parse JSON request body");
        }

        if (body is null)
        {
            return (parameters, null);
        }

        if (body is not JsonObject json)
        {
            return (null, "Bad Request: request body must be a JSON object");
        }

        foreach (var (name, value) in json.ToList())
        {
            json.Remove(name);
            parameters.Values[name] = value;
        }

        return (parameters, null);
    }
}

/// <summary>Parameters as they came in, before they are checked against the method's table.</summary>
internal sealed class RawParameters
{
    public Dictionary<string, JsonNode?> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>The parameters that are uploaded files (multipart), allowed where the spec says InputFile.</summary>
    public HashSet<string> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>A JSON object of what was given, for the action log when validation fails.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject();
        foreach (var (name, value) in Values)
        {
            json[name] = value?.DeepClone();
        }

        return json;
    }
}
