namespace Atlas.Gateway.Outbound;

/// <summary>
/// The overall limit (<see cref="OutboundOptions.GlobalPerSecond"/>) as slots: a send holds one from its start until one
/// second after Telegram answered. Counting from the answer rather than the start keeps Telegram's own count (by
/// arrival) within the limit in every one-second window, whatever the latency. Thread-safe.
/// </summary>
internal sealed class SendWindow(int perSecond, TimeProvider time)
{
    private static readonly TimeSpan Length = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly Queue<DateTimeOffset> _answered = new();
    private int _inFlight;

    /// <summary>How many sends may start now.</summary>
    public int Available()
    {
        lock (_lock)
        {
            if (perSecond == 0)
            {
                return int.MaxValue;
            }

            Trim(time.GetUtcNow());
            return Math.Max(0, perSecond - _inFlight - _answered.Count);
        }
    }

    /// <summary>When a slot held by an answered send comes free; null when none is held that way.</summary>
    public DateTimeOffset? NextFreeAt()
    {
        lock (_lock)
        {
            return _answered.Count > 0 ? _answered.Peek() + Length : null;
        }
    }

    public void Start()
    {
        lock (_lock)
        {
            _inFlight++;
        }
    }

    /// <summary>A send ended; <paramref name="reachedTelegram"/> false when no request was made (the slot frees at once).</summary>
    public void Finish(bool reachedTelegram)
    {
        lock (_lock)
        {
            _inFlight--;
            if (reachedTelegram && perSecond > 0)
            {
                _answered.Enqueue(time.GetUtcNow());
            }
        }
    }

    private void Trim(DateTimeOffset now)
    {
        while (_answered.Count > 0 && _answered.Peek() + Length <= now)
        {
            _answered.Dequeue();
        }
    }
}
