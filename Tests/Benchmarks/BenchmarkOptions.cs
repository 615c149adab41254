using System.Globalization;

namespace Atlas.Benchmarks;

/// <summary>How much work each benchmark does.</summary>
internal sealed record BenchmarkOptions(
    int Sequential, int Concurrent, int Concurrency, int WebhookUpdates, int OutboundMessages, string Only,
    int ModerationMessages = 5000, int ModerationRate = 500, int LlmRequests = 5000, int KnowledgeDocuments = 10_000,
    int KnowledgeQueries = 1000, int WrkSeconds = 10, int WrkRounds = 2)
{
    public const string Usage = """
        Usage: dotnet run -c Release --project Tests/Benchmarks -- [--only bus|webhook|wrk|outbound|workflow|moderation|llm|kb] [--sequential N] [--concurrent N]
                 [--concurrency N] [--webhook N] [--outbound N] [--smoke]
          --only NAME      run one benchmark (default: all)
          --sequential N   bus round trips one after another, for latency (default 2000)
          --concurrent N   bus round trips with --concurrency in flight, for throughput (default 20000)
          --concurrency N  requests in flight at once (default 64)
          --webhook N      updates POSTed to the gateway's webhook (default 10000)
          --wrk-seconds N  length of each wrk round against gateway, grammY and bare Kestrel (default 10)
          --wrk-rounds N   rounds per target, alternating (default 2)
          --outbound N     messages the gateway sends to the Sandbox under Telegram's caps (default 900)
          --moderation N   group messages through gateway and Moderation to a deleteMessage at the Sandbox (default 5000)
          --moderation-rate N  their pace in messages/s (default 500)
          --llm N          chat requests, 100 in flight, to the Sandbox model directly and through LlmRouter (default 5000)
          --kb-docs N      knowledge documents to index before timing searches (default 10000)
          --kb-queries N   knowledge searches timed (default 1000)
          --smoke          small counts: proves the benchmarks run, figures are not meaningful
        """;

    public bool Runs(string name) => Only == "all" || Only == name;

    public static BenchmarkOptions? Parse(string[] args)
    {
        var options = new BenchmarkOptions(2000, 20000, 64, 10_000, 900, "all");
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--smoke")
            {
                options = options with
                {
                    Sequential = 100, Concurrent = 400, Concurrency = 16, WebhookUpdates = 300, OutboundMessages = 60,
                    ModerationMessages = 200, LlmRequests = 300, KnowledgeDocuments = 500, KnowledgeQueries = 50,
                    WrkSeconds = 2, WrkRounds = 1,
                };
                continue;
            }

            if (args[i] == "--only" && i + 1 < args.Length && args[i + 1] is "bus" or "webhook" or "wrk" or "outbound" or "workflow" or "moderation" or "llm" or "kb" or "all")
            {
                options = options with { Only = args[++i] };
                continue;
            }

            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                return null;
            }

            options = args[i++] switch
            {
                "--sequential" => options with { Sequential = value },
                "--concurrent" => options with { Concurrent = value },
                "--concurrency" => options with { Concurrency = value },
                "--webhook" => options with { WebhookUpdates = value },
                "--outbound" => options with { OutboundMessages = value },
                "--moderation" => options with { ModerationMessages = value },
                "--moderation-rate" => options with { ModerationRate = value },
                "--llm" => options with { LlmRequests = value },
                "--kb-docs" => options with { KnowledgeDocuments = value },
                "--kb-queries" => options with { KnowledgeQueries = value },
                "--wrk-seconds" => options with { WrkSeconds = value },
                "--wrk-rounds" => options with { WrkRounds = value },
                _ => null,
            };
            if (options is null)
            {
                return null;
            }
        }

        return options;
    }
}
