namespace Atlas.ServiceDefaults.Health;

/// <summary>Tags that decide which probe a health check belongs to.</summary>
public static class HealthTags
{
    /// <summary>The process is up (liveness): <c>/alive</c>, <c>/healthz</c>.</summary>
    public const string Live = "live";

    /// <summary>A dependency the service needs to do its work (readiness): <c>/readyz</c>.</summary>
    public const string Ready = "ready";

    /// <summary>How long one dependency check may take before it counts as down.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);
}
