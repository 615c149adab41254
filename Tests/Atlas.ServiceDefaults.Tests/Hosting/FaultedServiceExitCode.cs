using System.Collections.Concurrent;
using Atlas.ServiceDefaults.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Atlas.ServiceDefaults.Tests.Hosting;

/// <summary>A service whose background service failed exits non-zero, so whatever supervises it sees a failure.</summary>
public sealed class FaultedServiceExitCode : IDisposable
{
    private static readonly ConcurrentQueue<(string Application, int Code)> ExitCodes = new();
    private readonly Action<string, int> _original = FaultExitCode.SetExitCode;

    public FaultedServiceExitCode() => FaultExitCode.SetExitCode = (application, code) => ExitCodes.Enqueue((application, code));

    public void Dispose() => FaultExitCode.SetExitCode = _original;

    [Fact]
    public async Task A_failed_background_service_stops_the_host_with_a_failure_exit_code()
    {
        var (host, name) = Build(services => services.AddHostedService<FailingWork>());

        using (host)
        {
            await host.RunAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        ExitCodes.Where(e => e.Application == name).Should().ContainSingle().Which.Code.Should().Be(FaultExitCode.Code);
    }

    [Fact]
    public async Task A_host_stopped_normally_leaves_the_exit_code_alone()
    {
        var (host, name) = Build(services => services.AddHostedService<FinishedWork>());

        using (host)
        {
            await host.StartAsync();
            await host.StopAsync();
        }

        ExitCodes.Should().NotContain(e => e.Application == name);
    }

    private static (IHost Host, string Name) Build(Action<IServiceCollection> services)
    {
        var name = "exit-code-test-" + Guid.NewGuid().ToString("N");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = name, EnvironmentName = "Development" });
        builder.AddBasicServiceDefaults();
        services(builder.Services);
        return (builder.Build(), name);
    }

    private sealed class FailingWork : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("The work broke.");
        }
    }

    private sealed class FinishedWork : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
    }
}
