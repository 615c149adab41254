namespace Atlas.Gateway.Tests.Metrics;

/// <summary>
/// Tests that read <c>/metrics</c> run alone, after the parallel ones. Every host in this process names its meters the
/// same ("Atlas.Gateway", "Microsoft.AspNetCore.Hosting", ...), and OpenTelemetry's SDK drops a metric stream from all
/// providers when any meter of that name is disposed (open-telemetry/opentelemetry-dotnet#6412), so a test host
/// stopping elsewhere could empty the exposition under test. A service runs one host per process, where this cannot happen.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExporterIsolation
{
    public const string Name = "OpenTelemetry exporter";
}
