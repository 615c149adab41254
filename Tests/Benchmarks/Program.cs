using System.Globalization;
using Atlas.Benchmarks.Gateway;
using Atlas.Benchmarks.LlmRouter;
using Atlas.Benchmarks.Moderation;
using Atlas.ServiceDefaults.Telemetry;

namespace Atlas.Benchmarks;

// An explicit entry class: a top-level Program would clash with the gateway's Program, which the gateway
// benchmarks host.
internal static class BenchmarkProgram
{
    private const string SamplingVariable = "Telemetry__SamplingRatio";

    public static async Task<int> Main(string[] args)
    {
        // The in-process gateway host finds its content root through MvcTestingAppManifest.json in the working folder.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        var options = BenchmarkOptions.Parse(args);
        if (options is null)
        {
            await Console.Error.WriteLineAsync(BenchmarkOptions.Usage);
            return 2;
        }

        // The hosted services keep the share of traces they keep when deployed (Production's default), not every trace
        // as in development; set Telemetry__SamplingRatio to measure another share.
        if (Environment.GetEnvironmentVariable(SamplingVariable) is not { Length: > 0 })
        {
            Environment.SetEnvironmentVariable(SamplingVariable, TraceSampling.ProductionDefault.ToString(CultureInfo.InvariantCulture));
        }

        var spin = Environment.GetEnvironmentVariable("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit") is { Length: > 0 } hex
            ? $"0x{hex} (environment)" : AppContext.GetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit")?.ToString() ?? "the runtime's default";
        Console.WriteLine($"Services hosted in this process: server GC, traces sampled at {Environment.GetEnvironmentVariable(SamplingVariable)} ({TraceSampling.ConfigurationKey}), thread-pool spin limit {spin}");

        if (options.Runs("bus"))
        {
            await BusRoundTripBenchmark.RunAsync(options);
        }

        if (options.Runs("webhook"))
        {
            await WebhookIngestBenchmark.RunAsync(options);
        }

        if (options.Runs("wrk"))
        {
            await WrkComparisonBenchmark.RunAsync(options);
        }

        if (options.Runs("outbound"))
        {
            await OutboundSendBenchmark.RunAsync(options);
        }

        if (options.Runs("llm"))
        {
            await RouterLatencyBenchmark.RunAsync(options);
        }

        if (options.Runs("kb"))
        {
            await KnowledgeSearchBenchmark.RunAsync(options);
        }

        if (options.Runs("workflow"))
        {
            await Workflow.WorkflowBenchmark.RunAsync(args.Contains("--smoke"));
        }

        if (options.Runs("moderation"))
        {
            await ModerationPipelineBenchmark.RunAsync(options);
        }

        if (options.Runs("backup"))
        {
            await Backup.BackupBenchmark.RunAsync(options);
        }

        return 0;
    }
}
