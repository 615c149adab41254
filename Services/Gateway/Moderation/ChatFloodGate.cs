using System.Collections.Concurrent;

namespace Atlas.Gateway.Moderation;

/// <summary>
/// Remembers, per chat, until when Telegram asked the bot to wait (a 429's retry_after), so that a retried moderation
/// action does not call Telegram again before then.
/// </summary>
public sealed class ChatFloodGate(TimeProvider time)
{
    private readonly ConcurrentDictionary<long, DateTimeOffset> _until = new();

    /// <summary>How long calls into <paramref name="chatId"/> must still wait (zero when they may go now).</summary>
    public TimeSpan Remaining(long chatId)
    {
        if (!_until.TryGetValue(chatId, out var until))
        {
            return TimeSpan.Zero;
        }

        var remaining = until - time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            _until.TryRemove(new KeyValuePair<long, DateTimeOffset>(chatId, until));
            return TimeSpan.Zero;
        }

        return remaining;
    }

    /// <summary>Telegram asked for <paramref name="retryAfter"/> in <paramref name="chatId"/>.</summary>
    public void Close(long chatId, TimeSpan retryAfter)
    {
        var until = time.GetUtcNow() + retryAfter;
        _until.AddOrUpdate(chatId, until, (_, current) => current > until ? current : until);
    }
}

/// <summary>The chat is still in a flood wait; the bus retries the action later.</summary>
public sealed class FloodWaitPendingException : Exception
{
    public FloodWaitPendingException()
    {
    }

    public FloodWaitPendingException(string message) : base(message)
    {
    }

    public FloodWaitPendingException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public FloodWaitPendingException(long chatId, TimeSpan remaining)
        : base($"Chat {chatId} is in a Telegram flood wait for {remaining.TotalSeconds:0.#} s more.")
    {
        Remaining = remaining;
    }

    public TimeSpan Remaining { get; }
}
