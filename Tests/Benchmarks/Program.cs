using Atlas.Benchmarks.Gateway;
using Atlas.Benchmarks.LlmRouter;
using Atlas.Benchmarks.Moderation;

namespace Atlas.Benchmarks;

// An explicit entry class: a top-level Program would clash with the gateway's Program, which the gateway
// benchmarks host.
internal static class BenchmarkProgram
{
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

        return 0;
    }
}
