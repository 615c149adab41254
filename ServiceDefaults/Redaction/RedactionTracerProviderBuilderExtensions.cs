using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Atlas.ServiceDefaults.Redaction;

/// <summary>Registers secret redaction for traces.</summary>
public static class RedactionTracerProviderBuilderExtensions
{
    /// <summary>
    /// Adds a <see cref="RedactingActivityProcessor"/> that uses the registered <see cref="SecretRedactor"/>
    /// (registering the configuration-built one if there is none).
    /// </summary>
    /// <remarks>
    /// Processors run in the order they are added and exporters are processors too: call this before adding
    /// any exporter (<c>AddOtlpExporter</c>, ...), or the exporter sees the activity unredacted.
    /// </remarks>
    public static TracerProviderBuilder AddSecretRedaction(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        return builder
            .ConfigureServices(services => services.TryAddSecretRedactor())
            .AddProcessor(services => new RedactingActivityProcessor(services.GetRequiredService<SecretRedactor>()));
    }
}
