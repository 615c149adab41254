using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Elasticsearch;

/// <summary>
/// <c>_bulk</c>: NDJSON action lines (<c>index</c>, <c>create</c>, <c>update</c> with <c>doc</c>/<c>upsert</c>/<c>doc_as_upsert</c>,
/// <c>delete</c>), each followed by its source line where the action takes one. A missing index is created (the
/// server's auto-create). Each item answers on its own (<c>status</c>, <c>result</c>, or an <c>error</c>) and
/// <c>errors</c> says whether any failed. Writes are visible at once, as after <c>refresh=true</c>.
/// </summary>
internal static class EsBulk
{
    public static async Task<IResult> RunAsync(HttpRequest request, string? pathIndex, EsIndexStore store, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var lines = (await EsJson.ReadTextAsync(request, cancellationToken).ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0)
        {
            return EsErrors.BadRequest("request body is required");
        }

        var items = new JsonArray();
        var errors = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var action = Parse(lines[i], i) as JsonObject;
            if (action is not { Count: 1 } || action.First() is not (var name and ("index" or "create" or "update" or "delete"), JsonObject meta))
            {
                return EsErrors.BadRequest($"Malformed action/metadata line [{i + 1}], expected START_OBJECT with one of index, create, update or delete");
            }

            JsonObject? body = null;
            if (name != "delete")
            {
                if (++i >= lines.Length || Parse(lines[i], i) is not JsonObject source)
                {
                    return EsErrors.BadRequest($"Validation Failed: 1: no requests added or source missing for the [{name}] action on line [{i}];");
                }

                body = source;
            }

            var indexName = (string?)meta["_index"] ?? pathIndex;
            if (indexName is null)
            {
                return EsErrors.BadRequest("Validation Failed: 1: index is missing;");
            }

            if (!EsEndpoints.ValidName(indexName))
            {
                return EsErrors.InvalidIndexName(indexName);
            }

            store.TryCreate(indexName, []);
            var index = store.Find(indexName)!;
            JsonObject item;
            lock (index.Gate)
            {
                item = Apply(index, name, (string?)meta["_id"], body);
            }

            errors |= item["error"] is not null;
            items.Add(new JsonObject { [name] = item });
        }

        return EsJson.Result(new JsonObject
        {
            ["errors"] = errors,
            ["took"] = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            ["items"] = items,
        });
    }

    private static JsonObject Apply(EsIndex index, string action, string? id, JsonObject? body)
    {
        id ??= action is "index" or "create" ? Guid.NewGuid().ToString("N")[..20] : null;
        if (id is null)
        {
            return Failure(index, "", 400, "action_request_validation_exception", $"Validation Failed: 1: id is missing for the [{action}] action;");
        }

        var existing = index.Documents.GetValueOrDefault(id);
        switch (action)
        {
            case "create" when existing is not null:
                return Failure(index, id, 409, "version_conflict_engine_exception", $"[{id}]: version conflict, document already exists (current version [{existing.Version}])");
            case "index" or "create":
                return Store(index, id, existing, (JsonObject)body!.DeepClone());
            case "delete" when existing is null:
                return Outcome(index, id, 1, "not_found", 404);
            case "delete":
                index.Documents.Remove(id);
                return Outcome(index, id, existing.Version + 1, "deleted", 200);
            default:
                return Update(index, id, existing, body!);
        }
    }

    private static JsonObject Update(EsIndex index, string id, EsDocument? existing, JsonObject body)
    {
        var doc = body["doc"] as JsonObject;
        if (existing is null)
        {
            var upsert = body["upsert"] as JsonObject ?? ((bool?)body["doc_as_upsert"] == true ? doc : null);
            return upsert is null
                ? Failure(index, id, 404, "document_missing_exception", $"[{id}]: document missing")
                : Store(index, id, null, (JsonObject)upsert.DeepClone());
        }

        if (doc is null)
        {
            return Failure(index, id, 400, "action_request_validation_exception", "Validation Failed: 1: script or doc is missing;");
        }

        var merged = (JsonObject)existing.Source.DeepClone();
        foreach (var (key, value) in doc)
        {
            merged[key] = value?.DeepClone();
        }

        return JsonNode.DeepEquals(merged, existing.Source) ? Outcome(index, id, existing.Version, "noop", 200) : Store(index, id, existing, merged);
    }

    private static JsonObject Store(EsIndex index, string id, EsDocument? existing, JsonObject source)
    {
        var version = (existing?.Version ?? 0) + 1;
        index.Documents[id] = new EsDocument(source, version);
        return Outcome(index, id, version, existing is null ? "created" : "updated", existing is null ? 201 : 200);
    }

    private static JsonObject Outcome(EsIndex index, string id, long version, string result, int status) => new()
    {
        ["_index"] = index.Name,
        ["_id"] = id,
        ["_version"] = version,
        ["result"] = result,
        ["_shards"] = new JsonObject { ["total"] = 2, ["successful"] = 1, ["failed"] = 0 },
        ["_seq_no"] = index.SequenceNumber++,
        ["_primary_term"] = 1,
        ["status"] = status,
    };

    private static JsonObject Failure(EsIndex index, string id, int status, string type, string reason) => new()
    {
        ["_index"] = index.Name,
        ["_id"] = id,
        ["status"] = status,
        ["error"] = EsErrors.Cause(type, reason, new JsonObject { ["index_uuid"] = index.Uuid, ["index"] = index.Name }),
    };

    private static JsonNode? Parse(string line, int number)
    {
        try
        {
            return JsonNode.Parse(line);
        }
        catch (JsonException)
        {
            throw new EsRequestException($"Malformed content on line [{number + 1}]: not a JSON object", parsing: false);
        }
    }
}
