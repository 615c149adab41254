namespace Atlas.Moderation.Tests.Support;

/// <summary>Test classes that read /metrics run alone, with no other Moderation host starting or stopping meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsReaders
{
    public const string Name = "moderation-metrics";
}
