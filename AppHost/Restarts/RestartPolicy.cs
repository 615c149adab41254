using Microsoft.Extensions.Configuration;

namespace Atlas.AppHost.Restarts;

/// <summary>
/// Restart a crashed resource (a non-zero exit, or killed) by itself: after <see cref="InitialDelay"/>, doubling up to
/// <see cref="MaxDelay"/>, at most <see cref="MaxRestarts"/> times within <see cref="Window"/>. Aspire itself restarts
/// only when someone presses Restart.
/// </summary>
public sealed record RestartPolicyAnnotation(int MaxRestarts, TimeSpan Window, TimeSpan InitialDelay, TimeSpan MaxDelay) : IResourceAnnotation
{
    public const string RestartsProperty = "atlas.restarts";

    /// <summary>The wait before restart number <paramref name="attempt"/> (1-based) within the window.</summary>
    public TimeSpan DelayBefore(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, InitialDelay.Ticks * (1L << Math.Clamp(attempt - 1, 0, 20))));
}

public static class RestartPolicyExtensions
{
    /// <summary>
    /// Restarts the resource when it crashes. Configurable per resource, and from configuration:
    /// <c>Atlas:Restart:&lt;resource&gt;:MaxRestarts</c>, <c>:WindowSeconds</c>, <c>:InitialDelaySeconds</c>,
    /// <c>:MaxDelaySeconds</c>; <c>MaxRestarts=0</c> turns it off.
    /// </summary>
    public static IResourceBuilder<T> WithRestartPolicy<T>(this IResourceBuilder<T> builder, int maxRestarts = 5, TimeSpan? window = null, TimeSpan? initialDelay = null, TimeSpan? maxDelay = null)
        where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.ApplicationBuilder.Configuration.GetSection($"Atlas:Restart:{builder.Resource.Name}");
        var policy = new RestartPolicyAnnotation(
            section.GetValue("MaxRestarts", maxRestarts),
            Seconds(section, "WindowSeconds") ?? window ?? TimeSpan.FromMinutes(5),
            Seconds(section, "InitialDelaySeconds") ?? initialDelay ?? TimeSpan.FromSeconds(1),
            Seconds(section, "MaxDelaySeconds") ?? maxDelay ?? TimeSpan.FromSeconds(30));
        return policy.MaxRestarts > 0 ? builder.WithAnnotation(policy, ResourceAnnotationMutationBehavior.Replace) : builder;
    }

    private static TimeSpan? Seconds(IConfigurationSection section, string key) =>
        section.GetValue<double?>(key) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
}
