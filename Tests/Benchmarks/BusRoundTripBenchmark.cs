using System.Diagnostics;
using Atlas.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Atlas.Benchmarks;

/// <summary>
/// Ping/Pong request-response over real RabbitMQ. The responder is a host configured exactly as a service is
/// (ServiceDefaults' AddAtlasBus), so the figures are those of the platform's own bus settings.
/// </summary>
internal static class BusRoundTripBenchmark
{
    private const string Responder = "benchresponder";

    public static async Task RunAsync(BenchmarkOptions options)
    {
        var resources = await IsolatedResources.CreateAsync("bench");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = Responder,
            ["ConnectionStrings:rabbitmq"] = resources.RabbitMq,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddBasicServiceDefaults();
        builder.AddAtlasBus();
        using var responder = builder.Build();
        await responder.StartAsync();
        await using var bus = await TestBus.StartAsync(resources.RabbitMq);
        var timeout = TimeSpan.FromSeconds(30);

        for (var i = 0; i < 200; i++)
        {
            await bus.PingAsync(Responder, timeout);
        }

        Console.WriteLine($"Bus round trip (Ping -> Pong) over RabbitMQ, {Environment.ProcessorCount} cores");
        var sequential = new LatencyRecorder(options.Sequential);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < options.Sequential; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await bus.PingAsync(Responder, timeout);
            sequential.Record(started);
        }

        Console.WriteLine(sequential.Report("sequential (1 in flight)", clock.Elapsed));

        var concurrent = new LatencyRecorder(options.Concurrent);
        var remaining = options.Concurrent;
        clock.Restart();
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                var started = Stopwatch.GetTimestamp();
                await bus.PingAsync(Responder, timeout);
                concurrent.Record(started);
            }
        }));
        Console.WriteLine(concurrent.Report($"concurrent ({options.Concurrency} in flight)", clock.Elapsed));

        await responder.StopAsync();
    }
}
