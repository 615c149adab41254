namespace Atlas.ServiceDefaults;

/// <summary>ActivitySource and Meter names that every service exports.</summary>
public static class TelemetrySources
{
    /// <summary>Atlas's own sources and meters (each service's <c>&lt;Service&gt;Metrics</c> uses it as a prefix).</summary>
    public const string Atlas = "Atlas.*";

    public const string MassTransit = "MassTransit";
}
