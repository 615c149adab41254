using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Telegram.Updates;

/// <summary>
/// One bot's updates not yet confirmed, in update_id order, with Telegram's rules: allowed_updates decides what is
/// queued at all, getUpdates with an offset confirms everything below it, a negative offset keeps only the last
/// updates. Not thread-safe: the owning bot's lock guards it.
/// </summary>
internal sealed class UpdateQueue(long firstUpdateId)
{
    /// <summary>What Telegram sends when a bot never chose: everything but these three.</summary>
    private static readonly HashSet<string> ExcludedByDefault = ["chat_member", "message_reaction", "message_reaction_count"];

    private readonly List<PendingUpdate> _pending = [];
    private long _nextUpdateId = firstUpdateId;

    /// <summary>The bot's allowed_updates; null or empty for Telegram's default.</summary>
    public IReadOnlyList<string>? AllowedUpdates { get; set; }

    public int Count => _pending.Count;

    public IReadOnlyList<PendingUpdate> Pending => _pending;

    /// <summary>The kind of an update: its first field other than update_id.</summary>
    public static string TypeOf(JsonObject update) =>
        update.Select(p => p.Key).FirstOrDefault(k => k != "update_id") ?? "unknown";

    /// <summary>True when the bot's allowed_updates lets an update of <paramref name="type"/> through.</summary>
    public bool Allows(string type) =>
        AllowedUpdates is { Count: > 0 } allowed ? allowed.Contains(type) : !ExcludedByDefault.Contains(type);

    /// <summary>
    /// Gives <paramref name="update"/> the next update_id (first, so it reads like Telegram's) and queues it when the
    /// bot subscribes to its kind. Returns the numbered update and whether it was queued.
    /// </summary>
    public (JsonObject Update, bool Queued) Add(JsonObject update)
    {
        update.Remove("update_id");
        var numbered = new JsonObject { ["update_id"] = _nextUpdateId++ };
        foreach (var (name, value) in update.ToList())
        {
            update.Remove(name);
            numbered[name] = value;
        }

        var type = TypeOf(numbered);
        if (!Allows(type))
        {
            return (numbered, false);
        }

        _pending.Add(new PendingUpdate(numbered.Long("update_id")!.Value, type, numbered));
        return (numbered, true);
    }

    /// <summary>Applies getUpdates' offset: a positive one confirms every update below it, a negative one keeps only the last -offset.</summary>
    public void Confirm(long offset)
    {
        if (offset > 0)
        {
            _pending.RemoveAll(u => u.UpdateId < offset);
        }
        else if (offset < 0)
        {
            var keep = offset < -_pending.Count ? _pending.Count : (int)-offset;
            _pending.RemoveRange(0, _pending.Count - keep);
        }
    }

    /// <summary>Copies of up to <paramref name="limit"/> updates with update_id ≥ <paramref name="offset"/>.</summary>
    public List<JsonObject> From(long offset, int limit) =>
        _pending.Where(u => u.UpdateId >= offset).Take(limit).Select(u => u.Json.Copy()).ToList();

    /// <summary>Forgets one update, once a webhook took it.</summary>
    public void Remove(PendingUpdate update) => _pending.Remove(update);

    /// <summary>Forgets every pending update (drop_pending_updates).</summary>
    public void Clear() => _pending.Clear();

    /// <summary>The oldest update a webhook may try now, marked in flight; null when none.</summary>
    public PendingUpdate? ClaimForDelivery(DateTimeOffset now)
    {
        var next = _pending.FirstOrDefault(u => !u.InFlight && u.NextAttemptAt <= now);
        if (next is not null)
        {
            next.InFlight = true;
        }

        return next;
    }

    /// <summary>When the earliest update waiting out a retry delay may be tried, or null when none waits.</summary>
    public DateTimeOffset? NextRetryAt(DateTimeOffset now) =>
        _pending.Where(u => !u.InFlight && u.NextAttemptAt > now).Select(u => (DateTimeOffset?)u.NextAttemptAt).Min();
}
