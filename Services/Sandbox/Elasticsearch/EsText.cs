using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Elasticsearch;

/// <summary>The stand-in's analysis: the standard analyzer's essentials (split on non-alphanumerics, lowercase).</summary>
internal static class EsText
{
    public static List<(string Term, int Start, int Length)> Tokens(string text)
    {
        var tokens = new List<(string, int, int)>();
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            if (i > start)
            {
                tokens.Add((text[start..i].ToLowerInvariant(), start, i - start));
            }
        }

        return tokens;
    }

    public static List<string> Terms(string text) => [.. Tokens(text).Select(t => t.Term)];

    /// <summary>A field's value by dotted path: strings as they are, arrays and numbers flattened to their text.</summary>
    public static IEnumerable<string> Values(JsonObject source, string path)
    {
        JsonNode? node = source;
        foreach (var part in path.Split('.'))
        {
            node = (node as JsonObject)?[part];
        }

        return node switch
        {
            JsonArray array => array.Where(n => n is JsonValue).Select(n => n!.ToString()),
            JsonValue value => [value.ToString()],
            _ => [],
        };
    }

    /// <summary>"title^3" → ("title", 3).</summary>
    public static (string Field, double Boost) FieldWithBoost(string spec)
    {
        var caret = spec.IndexOf('^', StringComparison.Ordinal);
        return caret < 0 ? (spec, 1)
            : (spec[..caret], double.TryParse(spec[(caret + 1)..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var boost) ? boost : 1);
    }
}
