namespace Atlas.ServiceDefaults;

/// <summary>ActivitySource and Meter names that every service exports.</summary>
public static class TelemetrySources
{
    /// <summary>Atlas's own sources and meters (each service's <c>&lt;Service&gt;Metrics</c> uses it as a prefix).</summary>
    public const string Atlas = "Atlas.*";

    public const string MassTransit = "MassTransit";

    /// <summary>Kestrel's memory pool meter (.NET 10), which ASP.NET Core's instrumentation enables and the services drop.</summary>
    public const string KestrelMemoryPool = "Microsoft.AspNetCore.MemoryPool";
}
