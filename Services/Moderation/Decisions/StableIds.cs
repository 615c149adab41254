using Atlas.ServiceDefaults.Messaging;

namespace Atlas.Moderation.Decisions;

/// <summary>Ids of an event's actions: the n-th action of an event has the same id however often it is decided.</summary>
public static class StableIds
{
    public static Guid For(string eventKey, string purpose) => NameBasedIds.From($"atlas-moderation:{eventKey}:{purpose}");
}
