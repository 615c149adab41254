using Microsoft.Extensions.Configuration;

namespace Atlas.AppHost.Restarts;

/// <summary>
/// Restart a resource that hangs: its <see cref="Path"/> (the liveness probe, <c>/alive</c>) has failed for
/// <see cref="HungAfter"/> while its process still runs. Probed every <see cref="Interval"/>, each probe given
/// <see cref="ProbeTimeout"/>. A process that has not answered once yet gets <see cref="StartupGrace"/> to come up
/// before its failures count.
/// </summary>
public sealed record WatchdogAnnotation(TimeSpan HungAfter, TimeSpan Interval, TimeSpan ProbeTimeout, TimeSpan StartupGrace, string Path = "/alive")
    : IResourceAnnotation
{
    /// <summary>The dashboard property with the number of restarts the watchdog made.</summary>
    public const string RestartsProperty = "atlas.watchdog-restarts";
}

public static class WatchdogExtensions
{
    /// <summary>
    /// Watches the resource's <c>http</c> endpoint for a hang. From configuration: <c>Atlas:Watchdog:HungAfterSeconds</c>
    /// (for all; <c>Atlas:Watchdog:&lt;resource&gt;:HungAfterSeconds</c> for one), <c>:IntervalSeconds</c>,
    /// <c>:StartupGraceSeconds</c>; <c>HungAfterSeconds=0</c> turns it off.
    /// </summary>
    public static IResourceBuilder<T> WithWatchdog<T>(this IResourceBuilder<T> builder, TimeSpan? hungAfter = null, TimeSpan? interval = null, TimeSpan? startupGrace = null)
        where T : IResourceWithEndpoints
    {
        ArgumentNullException.ThrowIfNull(builder);
        var all = builder.ApplicationBuilder.Configuration.GetSection("Atlas:Watchdog");
        var one = all.GetSection(builder.Resource.Name);
        var hung = Seconds(one, all, "HungAfterSeconds") ?? hungAfter ?? TimeSpan.FromSeconds(30);
        if (hung <= TimeSpan.Zero)
        {
            return builder;
        }

        var every = Seconds(one, all, "IntervalSeconds") ?? interval ?? TimeSpan.FromSeconds(5);
        var grace = Seconds(one, all, "StartupGraceSeconds") ?? startupGrace ?? TimeSpan.FromMinutes(10);
        var timeout = every < TimeSpan.FromSeconds(5) ? every : TimeSpan.FromSeconds(5);
        return builder.WithAnnotation(new WatchdogAnnotation(hung, every, timeout, grace), ResourceAnnotationMutationBehavior.Replace);
    }

    private static TimeSpan? Seconds(IConfigurationSection one, IConfigurationSection all, string key) =>
        (one.GetValue<double?>(key) ?? all.GetValue<double?>(key)) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
}
