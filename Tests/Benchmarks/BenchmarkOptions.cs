using System.Globalization;

namespace Atlas.Benchmarks;

/// <summary>How much work each benchmark does.</summary>
internal sealed record BenchmarkOptions(int Sequential, int Concurrent, int Concurrency)
{
    public const string Usage = """
        Usage: dotnet run -c Release --project Tests/Benchmarks -- [--sequential N] [--concurrent N] [--concurrency N] [--smoke]
          --sequential N   round trips one after another, for latency (default 2000)
          --concurrent N   round trips with --concurrency in flight, for throughput (default 20000)
          --concurrency N  requests in flight at once (default 64)
          --smoke          a few hundred round trips: proves the benchmark runs, figures are not meaningful
        """;

    public static BenchmarkOptions? Parse(string[] args)
    {
        var options = new BenchmarkOptions(2000, 20000, 64);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--smoke")
            {
                options = options with { Sequential = 100, Concurrent = 400, Concurrency = 16 };
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
