namespace Atlas.LlmRouter.Tests.Support;

/// <summary>Test classes that read /metrics run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsReaders
{
    public const string Name = "llmrouter-metrics";
}
