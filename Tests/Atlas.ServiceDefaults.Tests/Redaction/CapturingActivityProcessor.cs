using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace Atlas.ServiceDefaults.Tests.Redaction;

/// <summary>An ended activity as an exporter added at this point would have seen it.</summary>
internal sealed record CapturedActivity(
    string DisplayName,
    IReadOnlyDictionary<string, object?> Tags,
    string? StatusDescription,
    IReadOnlyList<IReadOnlyDictionary<string, object?>> EventTags);

/// <summary>
/// Copies each ended activity's values at the moment it runs, so a processor that runs later and changes
/// the activity cannot make this one look redacted.
/// </summary>
internal sealed class CapturingActivityProcessor : BaseProcessor<Activity>
{
    private readonly ConcurrentQueue<CapturedActivity> _activities = new();

    public IReadOnlyList<CapturedActivity> Activities => [.. _activities];

    public override void OnEnd(Activity data) => _activities.Enqueue(new CapturedActivity(
        data.DisplayName,
        Copy(data.TagObjects),
        data.StatusDescription,
        [.. data.Events.Select(activityEvent => Copy(activityEvent.Tags))]));

    private static Dictionary<string, object?> Copy(IEnumerable<KeyValuePair<string, object?>> tags) =>
        tags.ToDictionary(tag => tag.Key, tag => tag.Value);
}
