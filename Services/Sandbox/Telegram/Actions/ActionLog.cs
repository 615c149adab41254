namespace Atlas.Sandbox.Telegram.Actions;

/// <summary>One bot's Bot API calls in order, the oldest forgotten past a cap. Not thread-safe: the owning bot's lock guards it.</summary>
internal sealed class ActionLog(int capacity)
{
    private readonly Queue<BotAction> _actions = new();
    private long _lastSeq;

    public long NextSeq() => ++_lastSeq;

    public void Add(BotAction action)
    {
        _actions.Enqueue(action);
        while (_actions.Count > capacity)
        {
            _actions.Dequeue();
        }
    }

    /// <summary>The calls after <paramref name="afterSeq"/>, optionally of one method, reads only when asked for.</summary>
    public List<BotAction> After(long afterSeq, string? method, bool includeReads) =>
        _actions
            .Where(a => a.Seq > afterSeq)
            .Where(a => method is null || string.Equals(a.Method, method, StringComparison.OrdinalIgnoreCase))
            .Where(a => includeReads || !a.IsRead || method is not null)
            .ToList();
}
