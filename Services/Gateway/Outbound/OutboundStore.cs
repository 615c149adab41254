using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atlas.Gateway.Outbound;

/// <summary>
/// The outbox in Redis: per-chat queues, the schedule of chats, idempotency keys, parked and dead letters (see
/// <see cref="OutboundKeys"/>). Every change is one Lua script, so a crash between two steps cannot lose or repeat a
/// message. Redis calls take no cancellation token; a cancelled caller stops waiting, the step itself is atomic.
/// </summary>
internal sealed class OutboundStore(IDatabase redis, IOptions<OutboundOptions> options, TimeProvider time)
{
    private static readonly TimeSpan GroupWindow = TimeSpan.FromMinutes(1);

    private OutboundOptions Options => options.Value;

    /// <summary>Queues the parts of one message; null when the idempotency key was seen, else the queue depth.</summary>
    public async Task<long?> EnqueueAsync(long chatId, string idempotencyKey, IReadOnlyList<string> parts, CancellationToken cancellationToken)
    {
        var values = new RedisValue[parts.Count + 3];
        values[0] = (long)Options.IdempotencyWindow.TotalMilliseconds;
        values[1] = NowMs();
        values[2] = OutboundKeys.Id(chatId);
        for (var i = 0; i < parts.Count; i++)
        {
            values[i + 3] = parts[i];
        }

        RedisKey[] keys =
        [
            OutboundKeys.Dedup(idempotencyKey), OutboundKeys.Chat(chatId), OutboundKeys.Due, OutboundKeys.Next(chatId), OutboundKeys.Depth,
        ];
        var result = (long)await redis.ScriptEvaluateAsync(OutboundScripts.Enqueue, keys, values).WaitAsync(cancellationToken).ConfigureAwait(false);
        return result < 0 ? null : result;
    }

    /// <summary>
    /// Moves a chat's queue in front of another chat's (behind its head, which may be in flight) and schedules that one
    /// (see <see cref="OutboundScripts.Move"/>); its moderation actions move the same way. Returns how many entries moved.
    /// </summary>
    public async Task<long> MoveChatAsync(long fromChatId, long toChatId, CancellationToken cancellationToken)
    {
        RedisValue[] values = [OutboundKeys.Id(fromChatId), OutboundKeys.Id(toChatId), NowMs()];
        RedisKey[] messages = [OutboundKeys.Chat(fromChatId), OutboundKeys.Chat(toChatId), OutboundKeys.Due, OutboundKeys.Parked];
        RedisKey[] actions = [OutboundKeys.Actions(fromChatId), OutboundKeys.Actions(toChatId), OutboundKeys.ActionsDue, OutboundKeys.ActionsParked];
        var moved = (long)await redis.ScriptEvaluateAsync(OutboundScripts.Move, messages, values).WaitAsync(cancellationToken).ConfigureAwait(false);
        return moved + (long)await redis.ScriptEvaluateAsync(OutboundScripts.Move, actions, values).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Claims up to <paramref name="max"/> chats whose next message is due, for <see cref="OutboundOptions.ClaimLease"/>, and
    /// says when the earliest scheduled chat is due next (or its claim ends); null when none is scheduled.
    /// </summary>
    public Task<DueChats> ClaimDueAsync(int max, CancellationToken cancellationToken) =>
        DueChats.ClaimAsync(redis, OutboundKeys.Due, time.GetUtcNow(), Options.ClaimLease, max, cancellationToken);

    /// <summary>The raw next message of a chat, or null when its queue is empty.</summary>
    public async Task<string?> PeekAsync(long chatId, CancellationToken cancellationToken)
    {
        var head = await redis.ListGetByIndexAsync(OutboundKeys.Chat(chatId), 0).WaitAsync(cancellationToken).ConfigureAwait(false);
        return head.IsNull ? null : head.ToString();
    }

    /// <summary>
    /// Removes <paramref name="head"/> after it was sent (or, with <paramref name="deadLetter"/>, given up) and schedules
    /// the chat's next message no earlier than <paramref name="nextAt"/> and the group window allows. Returns the queue
    /// depth, or null when the head was no longer <paramref name="head"/>.
    /// </summary>
    public async Task<long?> CompleteAsync(
        long chatId, string head, DateTimeOffset nextAt, bool countInGroupWindow, DeadLetter? deadLetter, CancellationToken cancellationToken)
    {
        var windowMax = countInGroupWindow && chatId < 0 ? Options.PerGroupPerMinute : 0;
        RedisKey[] keys =
        [
            OutboundKeys.Chat(chatId), OutboundKeys.Due, OutboundKeys.Next(chatId), OutboundKeys.Depth, OutboundKeys.Window(chatId),
            OutboundKeys.Dead, OutboundKeys.Parked, OutboundKeys.Flood(chatId),
        ];
        RedisValue[] values =
        [
            head, OutboundKeys.Id(chatId), NowMs(), nextAt.ToUnixTimeMilliseconds(), (long)GroupWindow.TotalMilliseconds, windowMax,
            deadLetter?.Serialize() ?? "", Options.DeadLetterMaxLength,
        ];
        var result = (long)await redis.ScriptEvaluateAsync(OutboundScripts.Complete, keys, values).WaitAsync(cancellationToken).ConfigureAwait(false);
        return result < 0 ? null : result;
    }

    /// <summary>
    /// Puts back <paramref name="head"/> as <paramref name="updated"/>, to be tried at <paramref name="dueAt"/>; false when the head changed.
    /// With <paramref name="floodWait"/> the wait is Telegram's: the chat's moderation actions wait until then too.
    /// </summary>
    public async Task<bool> RescheduleAsync(
        long chatId, string head, string updated, DateTimeOffset dueAt, bool parked, CancellationToken cancellationToken, bool floodWait = false)
    {
        RedisKey[] keys =
        [
            OutboundKeys.Chat(chatId), OutboundKeys.Due, OutboundKeys.Next(chatId), OutboundKeys.Parked, OutboundKeys.Flood(chatId),
            OutboundKeys.ActionsDue,
        ];
        RedisValue[] values = [head, updated, OutboundKeys.Id(chatId), dueAt.ToUnixTimeMilliseconds(), NowMs(), parked ? 1 : 0, floodWait ? 1 : 0];
        return (long)await redis.ScriptEvaluateAsync(OutboundScripts.Reschedule, keys, values).WaitAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Gives a claimed chat back unsent: due again at its next allowed send (or unscheduled when its queue is empty).</summary>
    public Task ReleaseAsync(long chatId, CancellationToken cancellationToken) =>
        redis.ScriptEvaluateAsync(
            OutboundScripts.Release,
            [OutboundKeys.Chat(chatId), OutboundKeys.Due, OutboundKeys.Next(chatId)],
            [OutboundKeys.Id(chatId), NowMs()]).WaitAsync(cancellationToken);

    /// <summary>When a chat's next message is scheduled; null when the chat has nothing queued.</summary>
    public async Task<DateTimeOffset?> ScheduledAtAsync(long chatId, CancellationToken cancellationToken)
    {
        var score = await redis.SortedSetScoreAsync(OutboundKeys.Due, OutboundKeys.Id(chatId)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return score is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds((long)ms) : null;
    }

    /// <summary>Messages queued, parked ones included.</summary>
    public async Task<long> DepthAsync(CancellationToken cancellationToken)
    {
        var depth = await redis.StringGetAsync(OutboundKeys.Depth).WaitAsync(cancellationToken).ConfigureAwait(false);
        return depth.TryParse(out long value) ? value : 0;
    }

    /// <summary>Chats whose next message is parked, with when it is tried again.</summary>
    public async Task<IReadOnlyList<(long ChatId, DateTimeOffset RetryAt)>> ParkedAsync(CancellationToken cancellationToken)
    {
        var entries = await redis.SortedSetRangeByRankWithScoresAsync(OutboundKeys.Parked).WaitAsync(cancellationToken).ConfigureAwait(false);
        return [.. entries.Select(e => (long.Parse(e.Element.ToString(), CultureInfo.InvariantCulture), DateTimeOffset.FromUnixTimeMilliseconds((long)e.Score)))];
    }

    /// <summary>Adds a dead letter that never reached a queue (an invalid command from the bus).</summary>
    public async Task AddDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        var transaction = redis.CreateTransaction();
        _ = transaction.ListLeftPushAsync(OutboundKeys.Dead, deadLetter.Serialize());
        _ = transaction.ListTrimAsync(OutboundKeys.Dead, 0, Options.DeadLetterMaxLength - 1);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest <paramref name="count"/> dead letters.</summary>
    public async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(int count, CancellationToken cancellationToken)
    {
        var entries = await redis.ListRangeAsync(OutboundKeys.Dead, 0, count - 1).WaitAsync(cancellationToken).ConfigureAwait(false);
        return [.. entries.Select(e => DeadLetter.TryDeserialize(e.ToString())).OfType<DeadLetter>()];
    }

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
