using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atlas.ServiceDefaults.Hosting;

/// <summary>
/// A background service that fails stops the host (BackgroundServiceExceptionBehavior.StopHost), but the process
/// still exits 0, so the AppHost, systemd or a container runtime sees a clean stop and restarts nothing. Once the
/// host has stopped, this sets the exit code to <see cref="Code"/> when any background service ended in a fault.
/// </summary>
internal sealed partial class FaultExitCode(
    IServiceProvider services, IHostApplicationLifetime lifetime, IHostEnvironment environment, ILogger<FaultExitCode> logger) : IHostedService
{
    public const int Code = 70; // EX_SOFTWARE: an internal error.

    /// <summary>
    /// Sets the exit code of (application name, code). By default only a host that is the process's own program does:
    /// a service hosted inside a test run must not change the test host's exit code.
    /// </summary>
    internal static Action<string, int> SetExitCode { get; set; } = (application, code) =>
    {
        if (string.Equals(Assembly.GetEntryAssembly()?.GetName().Name, application, StringComparison.Ordinal))
        {
            Environment.ExitCode = code;
        }
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopped.Register(CheckFaults);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void CheckFaults()
    {
        var faulted = services.GetServices<IHostedService>()
            .OfType<BackgroundService>()
            .Where(service => service.ExecuteTask is { IsFaulted: true })
            .Select(service => service.GetType().Name)
            .ToList();
        if (faulted.Count > 0)
        {
            var names = string.Join(", ", faulted);
            ExitingWithFault(logger, names, Code);
            SetExitCode(environment.ApplicationName, Code);
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Stopped because background service(s) {Services} failed; exiting with code {ExitCode}")]
    private static partial void ExitingWithFault(ILogger logger, string services, int exitCode);
}
