using System.Text;
using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Telegram.Messages;

/// <summary>
/// Collects plain text and MessageEntity objects while a parse mode is read. Offsets and lengths count UTF-16 code
/// units, as Telegram's do; error positions are byte offsets in the UTF-8 source, as Telegram reports them.
/// </summary>
internal sealed class EntityBuilder(string source)
{
    private readonly StringBuilder _text = new();
    private readonly List<(int Order, JsonObject Entity)> _entities = [];
    private readonly Stack<(string Type, int Start, int SourceIndex, JsonObject Extra)> _open = new();

    public int Length => _text.Length;

    public int OpenCount => _open.Count;

    public string? TopType => _open.Count > 0 ? _open.Peek().Type : null;

    public int TopSourceIndex => _open.Peek().SourceIndex;

    public void Append(char c) => _text.Append(c);

    public void Append(string s) => _text.Append(s);

    public bool IsOpen(string type) => _open.Any(e => e.Type == type);

    public void Open(string type, int sourceIndex, JsonObject? extra = null) => _open.Push((type, _text.Length, sourceIndex, extra ?? []));

    /// <summary>Closes the innermost entity; an entity around no text is dropped, as Telegram drops it.</summary>
    public void Close()
    {
        var (type, start, _, extra) = _open.Pop();
        Add(type, start, _text.Length - start, extra);
    }

    /// <summary>Forgets the innermost entity without adding it.</summary>
    public void Discard() => _open.Pop();

    /// <summary>Sets a field (e.g. a pre block's language) on the innermost open entity.</summary>
    public void SetOnInnermost(string name, string value) => _open.Peek().Extra[name] = value;

    public void Add(string type, int offset, int length, JsonObject? extra = null)
    {
        if (length <= 0)
        {
            return;
        }

        var entity = new JsonObject { ["offset"] = offset, ["length"] = length, ["type"] = type };
        foreach (var (name, value) in extra ?? [])
        {
            entity[name] = value?.DeepClone();
        }

        _entities.Add((_entities.Count, entity));
    }

    /// <summary>The byte offset of <paramref name="index"/> in the UTF-8 source.</summary>
    public int ByteOffset(int index) => Encoding.UTF8.GetByteCount(source.AsSpan(0, index));

    public string Text => _text.ToString();

    /// <summary>The entities ordered by offset (outer before inner at the same offset), or null when there are none.</summary>
    public JsonArray? Entities() =>
        _entities.Count == 0
            ? null
            : new JsonArray([.. _entities
                .OrderBy(e => e.Entity["offset"]!.GetValue<int>())
                .ThenByDescending(e => e.Entity["length"]!.GetValue<int>())
                .ThenBy(e => e.Order)
                .Select(e => (JsonNode)e.Entity)]);
}
