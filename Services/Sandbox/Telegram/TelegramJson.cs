using System.Text.Json;
using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Telegram;

/// <summary>Helpers for the Bot API's JSON: snake_case names, and nulls left out rather than written.</summary>
internal static class TelegramJson
{
    /// <summary>Writes <paramref name="value"/> under <paramref name="name"/> unless it is null.</summary>
    public static JsonObject Set(this JsonObject json, string name, JsonNode? value)
    {
        if (value is not null)
        {
            json[name] = value;
        }

        return json;
    }

    /// <summary>Writes <paramref name="value"/> under <paramref name="name"/> unless it is null or empty.</summary>
    public static JsonObject SetText(this JsonObject json, string name, string? value) =>
        string.IsNullOrEmpty(value) ? json : json.Set(name, JsonValue.Create(value));

    /// <summary>The Int64 at <paramref name="name"/>, or null when absent or not an integer.</summary>
    public static long? Long(this JsonObject? json, string name) =>
        json?[name] is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;

    /// <summary>The string at <paramref name="name"/>, or null when absent or not a string.</summary>
    public static string? Text(this JsonObject? json, string name) =>
        json?[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>The Boolean at <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public static bool Flag(this JsonObject? json, string name, bool fallback = false) =>
        json?[name] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : fallback;

    /// <summary>The object at <paramref name="name"/>, or null.</summary>
    public static JsonObject? Object(this JsonObject? json, string name) => json?[name] as JsonObject;

    /// <summary>A deep copy, so stored state never shares nodes with what callers change.</summary>
    public static T Copy<T>(this T node) where T : JsonNode => (T)node.DeepClone();

    /// <summary>Removes every property whose value is JSON null, at any depth, as Telegram never sends one.</summary>
    public static JsonNode? WithoutNulls(this JsonNode? node)
    {
        switch (node)
        {
            case JsonObject json:
                foreach (var name in json.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    json.Remove(name);
                }

                foreach (var (_, value) in json)
                {
                    value.WithoutNulls();
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    item.WithoutNulls();
                }

                break;
        }

        return node;
    }

    /// <summary>Seconds since the Unix epoch, as Telegram's dates are.</summary>
    public static long UnixTime(this TimeProvider time) => time.GetUtcNow().ToUnixTimeSeconds();
}
