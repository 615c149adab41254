using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Atlas.ServiceDefaults.Diagnostics;

/// <summary>
/// <c>GET /debug/runtime</c>: what a developer looks at first when a service misbehaves (memory, GC, threads, the
/// thread pool's backlog, uptime) and which build and environment answered. Mapped only where
/// <c>Atlas:DebugEndpoints</c> is true (the dev environment); elsewhere the path does not exist. It reports no
/// configuration value, so nothing secret.
/// </summary>
public static class DebugEndpoints
{
    public const string Setting = "Atlas:DebugEndpoints";

    public const string RuntimePath = "/debug/runtime";

    public static IEndpointRouteBuilder MapDebugEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var configuration = endpoints.ServiceProvider.GetRequiredService<IConfiguration>();
        if (!configuration.GetValue<bool>(Setting))
        {
            return endpoints;
        }

        endpoints.MapGet(RuntimePath, (ServiceIdentity identity, IHostEnvironment host, TimeProvider time) =>
        {
            using var process = Process.GetCurrentProcess();
            var gc = GC.GetGCMemoryInfo();
            return TypedResults.Ok(new RuntimeSnapshot(
                identity.Name, identity.InstanceId, identity.Version, configuration["Atlas:Environment"] ?? host.EnvironmentName,
                Math.Round((time.GetUtcNow() - process.StartTime.ToUniversalTime()).TotalSeconds, 1),
                process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false), gc.HeapSizeBytes,
                [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)],
                process.Threads.Count, ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount, Environment.ProcessorCount));
        }).ExcludeFromDescription();
        return endpoints;
    }

    public sealed record RuntimeSnapshot(
        string Service, string Instance, string Version, string Environment, double UptimeSeconds,
        long WorkingSetBytes, long ManagedBytes, long GcHeapBytes, int[] Collections,
        int Threads, int ThreadPoolThreads, long ThreadPoolQueue, int Processors);
}
