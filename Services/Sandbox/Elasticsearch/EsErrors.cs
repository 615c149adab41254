using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Elasticsearch;

/// <summary>
/// Elasticsearch's error envelope: <c>{"error":{"root_cause":[...],"type","reason",...},"status":N}</c>, with the
/// types the real server uses for the same mistakes.
/// </summary>
internal static class EsErrors
{
    public static IResult IndexNotFound(string index) => Error(404, "index_not_found_exception", $"no such index [{index}]",
        new JsonObject { ["resource.type"] = "index_or_alias", ["resource.id"] = index, ["index_uuid"] = "_na_", ["index"] = index });

    public static IResult AlreadyExists(EsIndex index) => Error(400, "resource_already_exists_exception", $"index [{index.Name}/{index.Uuid}] already exists",
        new JsonObject { ["index_uuid"] = index.Uuid, ["index"] = index.Name });

    public static IResult InvalidIndexName(string index) => Error(400, "invalid_index_name_exception",
        $"Invalid index name [{index}], must be lowercase and must not start with '_', '-' or '+'", new JsonObject { ["index_uuid"] = "_na_", ["index"] = index });

    public static IResult Parsing(string reason) => Error(400, "parsing_exception", reason, []);

    public static IResult BadRequest(string reason) => Error(400, "illegal_argument_exception", reason, []);

    public static JsonObject Cause(string type, string reason, JsonObject extra)
    {
        var cause = new JsonObject { ["type"] = type, ["reason"] = reason };
        foreach (var (key, value) in extra)
        {
            cause[key] = value?.DeepClone();
        }

        return cause;
    }

    private static IResult Error(int status, string type, string reason, JsonObject extra)
    {
        var error = Cause(type, reason, extra);
        error["root_cause"] = new JsonArray(Cause(type, reason, extra));
        return EsJson.Result(new JsonObject { ["error"] = error, ["status"] = status }, status);
    }
}
