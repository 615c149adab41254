using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace Atlas.ServiceDefaults.Tests.Telemetry;

/// <summary>Traces are sampled parent-based with a configurable ratio: all in Development, a tenth in Production by default.</summary>
public sealed class TraceSamplingRatio
{
    [Theory]
    [InlineData("Development", null, 1000, 1000)]
    [InlineData("Production", null, 40, 160)]
    [InlineData("Production", "0.5", 400, 600)]
    [InlineData("Development", "0", 0, 0)]
    public void Root_traces_are_kept_at_the_configured_ratio(string environment, string? ratio, int atLeast, int atMost)
    {
        var (host, source) = Start(environment, ratio);
        using (host)
        using (source)
        {
            var kept = 0;
            for (var i = 0; i < 1000; i++)
            {
                using var activity = source.StartActivity("work");
                kept += activity is { Recorded: true } ? 1 : 0;
            }

            kept.Should().BeInRange(atLeast, atMost);
        }
    }

    [Fact]
    public void A_trace_another_service_kept_is_kept_here_whatever_the_ratio()
    {
        var (host, source) = Start("Production", "0");
        using (host)
        using (source)
        {
            var sampledParent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
            var droppedParent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);

            using (var child = source.StartActivity("consume", ActivityKind.Consumer, sampledParent))
            {
                child!.Recorded.Should().BeTrue();
            }

            using var dropped = source.StartActivity("consume", ActivityKind.Consumer, droppedParent);
            (dropped?.Recorded ?? false).Should().BeFalse();
        }
    }

    [Fact]
    public void A_ratio_outside_zero_to_one_stops_the_start_with_the_reason()
    {
        var start = () => Start("Production", "1.5");

        start.Should().Throw<InvalidOperationException>().WithMessage("*Telemetry:SamplingRatio must be a number from 0 to 1*'1.5'*");
    }

    // A host with the service defaults' telemetry; its application name is a source nobody else listens to.
    private static (IHost Host, ActivitySource Source) Start(string environment, string? ratio)
    {
        var name = "sampling-test-" + Guid.NewGuid().ToString("N");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment, ApplicationName = name });
        builder.Configuration.AddInMemoryCollection([new(Atlas.ServiceDefaults.Telemetry.TraceSampling.ConfigurationKey, ratio)]);
        builder.ConfigureOpenTelemetry();
        var host = builder.Build();
        _ = host.Services.GetRequiredService<TracerProvider>();
        return (host, new ActivitySource(name));
    }
}
