using System.Globalization;
using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Elasticsearch;

/// <summary>
/// The query DSL the stand-in understands: <c>match_all</c>, <c>match</c>, <c>multi_match</c> (best_fields, operator
/// or/and, <c>field^boost</c>), <c>term</c>, <c>terms</c>, <c>range</c> (dates, numbers, strings) and <c>bool</c>
/// (must, filter, should, must_not). Text is scored with BM25 (k1 1.2, b 0.75) over the index's documents; filters
/// do not score. Anything else is the real server's <c>parsing_exception</c>.
/// </summary>
internal sealed class EsQuery
{
    private readonly Func<JsonObject, double?> _evaluate;

    private EsQuery(Func<JsonObject, double?> evaluate, Dictionary<string, HashSet<string>> terms)
    {
        _evaluate = evaluate;
        TermsByField = terms;
    }

    /// <summary>The analyzed query terms per field, for the highlighter (require_field_match).</summary>
    public Dictionary<string, HashSet<string>> TermsByField { get; }

    /// <summary>The document's score, or null when it does not match.</summary>
    public double? Score(JsonObject source) => _evaluate(source);

    public static EsQuery Compile(JsonNode? query, IReadOnlyCollection<JsonObject> corpus)
    {
        var terms = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var evaluate = query is null ? (_ => 1.0) : Build(query, new Bm25(corpus), terms);
        return new EsQuery(evaluate, terms);
    }

    private static Func<JsonObject, double?> Build(JsonNode node, Bm25 bm25, Dictionary<string, HashSet<string>> terms)
    {
        if (node is not JsonObject { Count: 1 } wrapper)
        {
            throw new EsRequestException("[_na] query malformed, must start with start_object and have exactly one query type");
        }

        var (type, body) = wrapper.First();
        return type switch
        {
            "match_all" => _ => 1.0,
            "multi_match" => MultiMatch(body as JsonObject ?? throw Malformed(type), bm25, terms),
            "match" => Match(body as JsonObject ?? throw Malformed(type), bm25, terms),
            "term" => Term(body as JsonObject ?? throw Malformed(type)),
            "terms" => Terms(body as JsonObject ?? throw Malformed(type)),
            "range" => Range(body as JsonObject ?? throw Malformed(type)),
            "bool" => Bool(body as JsonObject ?? throw Malformed(type), bm25, terms),
            _ => throw new EsRequestException($"unknown query [{type}]"),
        };
    }

    private static Func<JsonObject, double?> MultiMatch(JsonObject body, Bm25 bm25, Dictionary<string, HashSet<string>> terms)
    {
        var text = (string?)body["query"] ?? throw new EsRequestException("[multi_match] requires query value");
        var fields = body["fields"] is JsonArray list ? list.Select(f => EsText.FieldWithBoost((string)f!)).ToList()
            : body["fields"] is JsonValue one ? [EsText.FieldWithBoost((string)one!)]
            : throw new EsRequestException("[multi_match] requires fields (the stand-in has no default field)");
        var type = (string?)body["type"] ?? "best_fields";
        if (type is not ("best_fields" or "most_fields"))
        {
            throw new EsRequestException($"[multi_match] type [{type}] is not supported by the sandbox", parsing: false);
        }

        var all = IsAnd(body);
        var queryTerms = EsText.Terms(text).Distinct(StringComparer.Ordinal).ToList();
        foreach (var (field, _) in fields)
        {
            Remember(terms, field, queryTerms);
        }

        return source =>
        {
            var scores = fields.Select(f => bm25.Score(source, f.Field, queryTerms, all) * f.Boost).Where(s => s > 0).ToList();
            return scores.Count == 0 ? null : type == "best_fields" ? scores.Max() : scores.Sum();
        };
    }

    private static Func<JsonObject, double?> Match(JsonObject body, Bm25 bm25, Dictionary<string, HashSet<string>> terms)
    {
        var (field, spec) = body.First();
        var text = spec is JsonObject options ? (string?)options["query"] : (string?)spec;
        var queryTerms = EsText.Terms(text ?? throw new EsRequestException("[match] requires query value")).Distinct(StringComparer.Ordinal).ToList();
        var all = spec is JsonObject o && IsAnd(o);
        Remember(terms, field, queryTerms);
        return source => bm25.Score(source, field, queryTerms, all) is var score and > 0 ? score : null;
    }

    private static Func<JsonObject, double?> Term(JsonObject body)
    {
        var (field, spec) = body.First();
        var value = (spec is JsonObject options ? options["value"] : spec)?.ToString() ?? throw new EsRequestException("[term] requires a value");
        return source => EsText.Values(source, field).Contains(value, StringComparer.Ordinal) ? 1.0 : null;
    }

    private static Func<JsonObject, double?> Terms(JsonObject body)
    {
        var (field, spec) = body.First();
        var values = (spec as JsonArray ?? throw new EsRequestException("[terms] query does not support [" + field + "]")).Select(v => v?.ToString()).ToHashSet(StringComparer.Ordinal);
        return source => EsText.Values(source, field).Any(values.Contains) ? 1.0 : null;
    }

    private static Func<JsonObject, double?> Range(JsonObject body)
    {
        var (field, spec) = body.First();
        var bounds = (spec as JsonObject ?? throw Malformed("range")).Where(p => p.Key is "gt" or "gte" or "lt" or "lte").Select(p => (p.Key, Value: p.Value?.ToString() ?? "")).ToList();
        return source => EsText.Values(source, field).Any(v => bounds.All(b => Compare(v, b.Value) is var c && b.Key switch
        {
            "gt" => c > 0,
            "gte" => c >= 0,
            "lt" => c < 0,
            _ => c <= 0,
        })) ? 1.0 : null;
    }

    private static Func<JsonObject, double?> Bool(JsonObject body, Bm25 bm25, Dictionary<string, HashSet<string>> terms)
    {
        List<Func<JsonObject, double?>> Clauses(string name) => body[name] switch
        {
            JsonArray array => [.. array.Select(q => Build(q!, bm25, terms))],
            JsonObject single => [Build(single, bm25, terms)],
            null => [],
            _ => throw Malformed("bool"),
        };

        var must = Clauses("must");
        var filter = Clauses("filter");
        var should = Clauses("should");
        var mustNot = Clauses("must_not");
        var shouldRequired = must.Count == 0 && filter.Count == 0 && should.Count > 0;
        return source =>
        {
            double score = 0;
            foreach (var clause in must)
            {
                if (clause(source) is not { } s)
                {
                    return null;
                }

                score += s;
            }

            if (filter.Any(f => f(source) is null) || mustNot.Any(f => f(source) is not null))
            {
                return null;
            }

            var matchedShould = should.Select(f => f(source)).Where(s => s is not null).Select(s => s!.Value).ToList();
            if (shouldRequired && matchedShould.Count == 0)
            {
                return null;
            }

            return score + matchedShould.Sum();
        };
    }

    private static int Compare(string stored, string bound)
    {
        if (DateTimeOffset.TryParse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var a)
            && DateTimeOffset.TryParse(bound, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var b))
        {
            return a.CompareTo(b);
        }

        return double.TryParse(stored, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.TryParse(bound, NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
            ? x.CompareTo(y)
            : string.CompareOrdinal(stored, bound);
    }

    private static bool IsAnd(JsonObject body) => string.Equals((string?)body["operator"], "and", StringComparison.OrdinalIgnoreCase);

    private static void Remember(Dictionary<string, HashSet<string>> terms, string field, IEnumerable<string> queryTerms)
    {
        if (!terms.TryGetValue(field, out var set))
        {
            terms[field] = set = new HashSet<string>(StringComparer.Ordinal);
        }

        set.UnionWith(queryTerms);
    }

    private static EsRequestException Malformed(string type) => new($"[{type}] query malformed, no start_object after query name");

    /// <summary>BM25 over the documents being searched, with per-field document frequencies and lengths computed once.</summary>
    private sealed class Bm25(IReadOnlyCollection<JsonObject> corpus)
    {
        private readonly Dictionary<string, (int Docs, double AverageLength, Dictionary<string, int> Frequencies)> _fields = new(StringComparer.Ordinal);

        public double Score(JsonObject source, string field, IReadOnlyList<string> queryTerms, bool all)
        {
            var terms = EsText.Values(source, field).SelectMany(EsText.Terms).ToList();
            if (terms.Count == 0 || (all && !queryTerms.All(terms.Contains)))
            {
                return 0;
            }

            var (docs, averageLength, frequencies) = Stats(field);
            double score = 0;
            foreach (var term in queryTerms)
            {
                var tf = terms.Count(t => t == term);
                if (tf == 0)
                {
                    continue;
                }

                var df = frequencies.GetValueOrDefault(term);
                var idf = Math.Log(1 + ((docs - df + 0.5) / (df + 0.5)));
                score += idf * (tf * 2.2) / (tf + (1.2 * (0.25 + (0.75 * terms.Count / averageLength))));
            }

            return score;
        }

        private (int, double, Dictionary<string, int>) Stats(string field)
        {
            if (!_fields.TryGetValue(field, out var stats))
            {
                var perDocument = corpus.Select(d => EsText.Values(d, field).SelectMany(EsText.Terms).ToList()).Where(t => t.Count > 0).ToList();
                var frequencies = perDocument.SelectMany(t => t.Distinct(StringComparer.Ordinal)).GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
                stats = (perDocument.Count, perDocument.Count == 0 ? 1 : perDocument.Average(t => t.Count), frequencies);
                _fields[field] = stats;
            }

            return stats;
        }
    }
}
