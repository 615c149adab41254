using System.Text;
using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Elasticsearch;

/// <summary>
/// The <c>highlight</c> section the way the unified highlighter answers it: the text cut into sentence fragments of
/// about <c>fragment_size</c> characters, the best <c>number_of_fragments</c> (most distinct query terms) returned in
/// text order (or by score with <c>order: score</c>), each match wrapped in <c>pre_tags</c>/<c>post_tags</c>
/// (default <c>&lt;em&gt;</c>). Only terms queried on the same field are highlighted (require_field_match).
/// </summary>
internal static class EsHighlighter
{
    public static JsonObject? Highlight(JsonObject? highlight, JsonObject source, EsQuery query)
    {
        if (highlight?["fields"] is not { } fieldsNode)
        {
            return null;
        }

        var fields = fieldsNode switch
        {
            JsonObject map => map.Select(p => (p.Key, Options: p.Value as JsonObject ?? [])).ToList(),
            JsonArray list => list.OfType<JsonObject>().SelectMany(o => o.Select(p => (p.Key, Options: p.Value as JsonObject ?? []))).ToList(),
            _ => throw new EsRequestException("[highlight] fields must be an object or an array"),
        };

        var result = new JsonObject();
        foreach (var (field, options) in fields)
        {
            if (!query.TermsByField.TryGetValue(field, out var terms) || terms.Count == 0)
            {
                continue;
            }

            var fragments = EsText.Values(source, field).SelectMany(text => Fragments(text, terms, Setting(options, highlight, "fragment_size", 100))).ToList();
            var count = Setting(options, highlight, "number_of_fragments", 5);
            var pre = Tag(options, highlight, "pre_tags", "<em>");
            var post = Tag(options, highlight, "post_tags", "</em>");
            var chosen = count == 0 ? fragments : fragments.OrderByDescending(f => f.Score).ThenBy(f => f.Position).Take(count).ToList();
            if (count != 0 && !string.Equals((string?)(options["order"] ?? highlight["order"]), "score", StringComparison.Ordinal))
            {
                chosen = [.. chosen.OrderBy(f => f.Position)];
            }

            if (chosen.Count > 0)
            {
                result[field] = new JsonArray([.. chosen.Select(f => (JsonNode)Mark(f.Text, terms, pre, post))]);
            }
        }

        return result.Count == 0 ? null : result;
    }

    private static IEnumerable<(string Text, int Position, int Score)> Fragments(string text, HashSet<string> terms, int size)
    {
        var position = 0;
        foreach (var sentence in Sentences(text, size <= 0 ? int.MaxValue : size))
        {
            var score = EsText.Terms(sentence).Where(terms.Contains).Distinct(StringComparer.Ordinal).Count();
            if (score > 0)
            {
                yield return (sentence.Trim(), position, score);
            }

            position++;
        }
    }

    // Sentences, each cut at a word boundary when longer than the fragment size.
    private static IEnumerable<string> Sentences(string text, int size)
    {
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var end = i == text.Length || (text[i] is '.' or '!' or '?' or '\n' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])));
            if (!end && i - start < size)
            {
                continue;
            }

            var cut = end ? Math.Min(i + 1, text.Length) : CutAt(text, start, i);
            if (cut > start && !string.IsNullOrWhiteSpace(text[start..cut]))
            {
                yield return text[start..cut];
            }

            if (cut >= text.Length)
            {
                yield break;
            }

            start = cut;
            i = cut - 1;
        }
    }

    private static int CutAt(string text, int start, int limit)
    {
        var space = text.LastIndexOf(' ', limit, limit - start);
        return space > start ? space + 1 : limit;
    }

    private static string Mark(string fragment, HashSet<string> terms, string pre, string post)
    {
        var marked = new StringBuilder();
        var at = 0;
        foreach (var (term, start, length) in EsText.Tokens(fragment).Where(t => terms.Contains(t.Term)))
        {
            marked.Append(fragment, at, start - at).Append(pre).Append(fragment, start, length).Append(post);
            at = start + length;
        }

        return marked.Append(fragment, at, fragment.Length - at).ToString();
    }

    private static int Setting(JsonObject field, JsonObject highlight, string name, int fallback) =>
        (int?)(field[name] ?? highlight[name]) ?? fallback;

    private static string Tag(JsonObject field, JsonObject highlight, string name, string fallback) =>
        ((field[name] ?? highlight[name]) as JsonArray)?.FirstOrDefault()?.ToString() ?? fallback;
}
