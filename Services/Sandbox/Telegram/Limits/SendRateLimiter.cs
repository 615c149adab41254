namespace Atlas.Sandbox.Telegram.Limits;

/// <summary>
/// One bot's flood control, like Telegram's: a token bucket per chat (steady rate plus a burst), a 60-second window
/// per group and a 1-second window across all chats. A send is checked against every limit that applies and counted
/// only when all allow it. Not thread-safe: the owning bot's lock guards it.
/// </summary>
internal sealed class SendRateLimiter(SendLimits limits)
{
    private static readonly TimeSpan GroupWindow = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan GlobalWindow = TimeSpan.FromSeconds(1);

    private readonly Dictionary<long, ChatBucket> _chats = [];
    private readonly Dictionary<long, Queue<DateTimeOffset>> _groups = [];
    private readonly Queue<DateTimeOffset> _global = new();

    public SendLimits Limits { get; private set; } = limits;

    /// <summary>Replaces the limits; what was counted so far still counts.</summary>
    public void Change(SendLimits limits) => Limits = limits;

    /// <summary>
    /// Counts one send to <paramref name="chatId"/> and returns 0, or returns the whole seconds (at least 1) to wait.
    /// </summary>
    public int TryAcquire(long chatId, bool isGroup, DateTimeOffset now)
    {
        var bucket = Limits.PerChatPerSecond > 0 ? Bucket(chatId, now) : null;
        var wait = bucket is null ? TimeSpan.Zero : bucket.WaitFor(Limits);

        var group = isGroup && Limits.PerGroupPerMinute > 0 ? Window(_groups, chatId, now, GroupWindow) : null;
        if (group is not null && group.Count >= Limits.PerGroupPerMinute)
        {
            wait = Max(wait, group.Peek() + GroupWindow - now);
        }

        var global = Limits.GlobalPerSecond > 0 ? Trim(_global, now, GlobalWindow) : null;
        if (global is not null && global.Count >= Limits.GlobalPerSecond)
        {
            wait = Max(wait, global.Peek() + GlobalWindow - now);
        }

        if (wait > TimeSpan.Zero)
        {
            return Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        }

        bucket?.Take();
        group?.Enqueue(now);
        global?.Enqueue(now);
        return 0;
    }

    private ChatBucket Bucket(long chatId, DateTimeOffset now)
    {
        if (!_chats.TryGetValue(chatId, out var bucket))
        {
            bucket = new ChatBucket(Math.Max(1, Limits.PerChatBurst), now);
            _chats[chatId] = bucket;
        }

        bucket.Refill(Limits, now);
        return bucket;
    }

    private static Queue<DateTimeOffset> Window(Dictionary<long, Queue<DateTimeOffset>> windows, long key, DateTimeOffset now, TimeSpan length)
    {
        if (!windows.TryGetValue(key, out var window))
        {
            window = new Queue<DateTimeOffset>();
            windows[key] = window;
        }

        return Trim(window, now, length);
    }

    private static Queue<DateTimeOffset> Trim(Queue<DateTimeOffset> window, DateTimeOffset now, TimeSpan length)
    {
        while (window.Count > 0 && window.Peek() + length <= now)
        {
            window.Dequeue();
        }

        return window;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Tokens for one chat: up to the burst, refilled at the steady rate.</summary>
    private sealed class ChatBucket(double tokens, DateTimeOffset at)
    {
        private double _tokens = tokens;
        private DateTimeOffset _at = at;

        public void Refill(SendLimits limits, DateTimeOffset now)
        {
            var capacity = Math.Max(1, limits.PerChatBurst);
            var elapsed = Math.Max(0, (now - _at).TotalSeconds);
            _tokens = Math.Min(capacity, _tokens + (elapsed * limits.PerChatPerSecond));
            _at = now;
        }

        public TimeSpan WaitFor(SendLimits limits) =>
            _tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - _tokens) / limits.PerChatPerSecond);

        public void Take() => _tokens -= 1;
    }
}
