using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Elasticsearch;

/// <summary>One index of the stand-in: its mappings as sent, and its documents by id with a version each.</summary>
internal sealed class EsIndex(string name, JsonObject mappings, string uuid)
{
    public string Name { get; } = name;

    public string Uuid { get; } = uuid;

    public JsonObject Mappings { get; } = mappings;

    public SortedDictionary<string, EsDocument> Documents { get; } = new(StringComparer.Ordinal);

    public long SequenceNumber { get; set; }

    /// <summary>Every access to <see cref="Documents"/> holds this lock: bulk, search and delete_by_query run concurrently.</summary>
    public Lock Gate { get; } = new();
}

/// <summary>A stored document: its _source and _version.</summary>
internal sealed record EsDocument(JsonObject Source, long Version);

/// <summary>The stand-in's indices, kept in memory for the life of the Sandbox.</summary>
internal sealed class EsIndexStore
{
    private readonly ConcurrentDictionary<string, EsIndex> _indices = new(StringComparer.Ordinal);

    public EsIndex? Find(string name) => _indices.GetValueOrDefault(name);

    /// <summary>Creates the index; false when it already exists.</summary>
    public bool TryCreate(string name, JsonObject mappings) =>
        _indices.TryAdd(name, new EsIndex(name, mappings, Guid.NewGuid().ToString("N")[..22]));

    public bool Delete(string name) => _indices.TryRemove(name, out _);
}
