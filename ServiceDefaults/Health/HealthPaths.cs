using Microsoft.AspNetCore.Http;

namespace Atlas.ServiceDefaults.Health;

/// <summary>The probe paths; requests to them are kept out of traces.</summary>
public static class HealthPaths
{
    public const string Liveness = "/healthz";
    public const string Readiness = "/readyz";

    private static readonly PathString[] Probes = ["/health", "/alive", Liveness, Readiness, "/metrics"];

    public static bool IsProbe(PathString path) => Array.Exists(Probes, probe => path.StartsWithSegments(probe));
}
