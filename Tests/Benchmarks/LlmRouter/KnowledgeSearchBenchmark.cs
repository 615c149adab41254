using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;

namespace Atlas.Benchmarks.LlmRouter;

/// <summary>
/// Knowledge search on PostgreSQL FTS: index N generated English documents through <c>POST /knowledge/documents:bulk</c>,
/// then time <c>GET /knowledge/search</c> one after another with two- to four-word queries from the same vocabulary.
/// </summary>
internal static class KnowledgeSearchBenchmark
{
    private const int Batch = 1000;

    private static readonly string[] Vocabulary =
    [
        "account", "password", "invoice", "refund", "export", "backup", "restore", "webhook", "token", "limit", "team", "invite",
        "mobile", "install", "theme", "settings", "security", "payment", "subscription", "plan", "upgrade", "report", "dashboard",
        "integration", "calendar", "reminder", "notification", "email", "archive", "project", "folder", "permission", "role",
        "audit", "history", "search", "filter", "label", "template", "import", "schedule", "deadline", "comment", "mention",
        "upload", "download", "storage", "quota", "language", "timezone", "session", "device", "browser", "cache", "sync",
    ];

    public static async Task RunAsync(BenchmarkOptions options)
    {
        await using var bench = await LlmRouterBench.StartAsync("benchkb");
        using var http = new HttpClient { BaseAddress = bench.RouterUrl };
        http.DefaultRequestHeaders.Add("X-Admin-Key", LlmRouterBench.AdminKey);
        var random = new Random(42);

        var indexing = Stopwatch.StartNew();
        for (var start = 0; start < options.KnowledgeDocuments; start += Batch)
        {
            var documents = Enumerable.Range(start, Math.Min(Batch, options.KnowledgeDocuments - start))
                .Select(i => new { id = $"doc-{i}", title = $"{Words(random, 3)} guide {i}", body = Sentences(random, 6), language = "en" })
                .ToArray();
            (await http.PostAsJsonAsync(new Uri("knowledge/documents:bulk", UriKind.Relative), documents)).EnsureSuccessStatusCode();
        }

        var indexed = indexing.Elapsed;
        var queries = Enumerable.Range(0, options.KnowledgeQueries).Select(_ => Words(random, random.Next(2, 5))).ToList();
        foreach (var query in queries.Take(20))
        {
            await SearchAsync(http, query);
        }

        var recorder = new LatencyRecorder(queries.Count);
        var clock = Stopwatch.StartNew();
        var hits = 0;
        foreach (var query in queries)
        {
            var started = Stopwatch.GetTimestamp();
            hits += await SearchAsync(http, query);
            recorder.Record(started);
        }

        Console.WriteLine($"Knowledge search on PostgreSQL FTS ({options.KnowledgeDocuments} documents, one query at a time)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"indexing (bulk, 1000/batch)",-28} {options.KnowledgeDocuments,7} documents   {options.KnowledgeDocuments / indexed.TotalSeconds,9:0} doc/s"));
        Console.WriteLine(recorder.Report("GET /knowledge/search", clock.Elapsed).Replace("round trips", "queries    ", StringComparison.Ordinal)
            + string.Create(CultureInfo.InvariantCulture, $"  (avg {(double)hits / queries.Count:0.0} hits)"));
    }

    private static async Task<int> SearchAsync(HttpClient http, string query)
    {
        var result = await http.GetFromJsonAsync<SearchAnswer>(new Uri($"knowledge/search?q={Uri.EscapeDataString(query)}&limit=5", UriKind.Relative));
        return result?.Hits.Count ?? 0;
    }

    private static string Words(Random random, int count) =>
        string.Join(' ', Enumerable.Range(0, count).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]));

    private static string Sentences(Random random, int count) =>
        string.Join(' ', Enumerable.Range(0, count).Select(_ => $"The {Words(random, 1)} {Words(random, 1)} helps with {Words(random, 2)} and {Words(random, 1)}."));

    private sealed record SearchAnswer(List<object> Hits);
}
