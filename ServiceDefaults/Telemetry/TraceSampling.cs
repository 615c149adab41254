using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace Atlas.ServiceDefaults.Telemetry;

/// <summary>
/// Which traces are kept: parent-based, so a trace is kept or dropped whole across services, with a ratio for the
/// traces a service starts itself. <c>Telemetry:SamplingRatio</c> (0 to 1) sets the ratio; without it, every trace
/// is kept except in Production, which keeps <see cref="ProductionDefault"/> of them.
/// </summary>
public static class TraceSampling
{
    public const string ConfigurationKey = "Telemetry:SamplingRatio";
    public const double ProductionDefault = 0.1;

    /// <summary>The ratio for <paramref name="configuration"/> and <paramref name="environment"/>; a bad value stops the start with the reason.</summary>
    public static double Ratio(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var text = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(text))
        {
            return environment.IsProduction() ? ProductionDefault : 1.0;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) || ratio is < 0 or > 1 || double.IsNaN(ratio))
        {
            throw new InvalidOperationException($"{ConfigurationKey} must be a number from 0 to 1 (for example 0.25), not '{text}'.");
        }

        return ratio;
    }

    /// <summary>The sampler for <see cref="Ratio"/>.</summary>
    public static Sampler Sampler(IConfiguration configuration, IHostEnvironment environment) =>
        new ParentBasedSampler(new TraceIdRatioBasedSampler(Ratio(configuration, environment)));
}
