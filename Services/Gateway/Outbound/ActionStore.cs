using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atlas.Gateway.Outbound;

/// <summary>
/// The moderation-action lane of the outbox in Redis: per chat a list of actions with a schedule of its own
/// (<see cref="OutboundKeys.ActionsDue"/>), claimed by the same sender as the messages. Every change is one Lua script
/// (<see cref="ActionScripts"/>). Redis calls take no cancellation token; a cancelled caller stops waiting, the step itself is atomic.
/// </summary>
internal sealed class ActionStore(IDatabase redis, IOptions<OutboundOptions> options, TimeProvider time)
{
    private OutboundOptions Options => options.Value;

    /// <summary>Queues <paramref name="action"/> in its chat's lane; false when an action with the same id was queued within the idempotency window.</summary>
    public async Task<bool> EnqueueAsync(QueuedAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var chatId = action.Action.ChatId;
        RedisKey[] keys = [OutboundKeys.ActionDedup(action.Action.ActionId), OutboundKeys.Actions(chatId), OutboundKeys.ActionsDue, OutboundKeys.Flood(chatId)];
        RedisValue[] values = [(long)Options.IdempotencyWindow.TotalMilliseconds, NowMs(), OutboundKeys.Id(chatId), action.Serialize()];
        return (long)await redis.ScriptEvaluateAsync(ActionScripts.Enqueue, keys, values).WaitAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>
    /// Claims up to <paramref name="max"/> chats whose next action is due, for <see cref="OutboundOptions.ClaimLease"/>, and
    /// says when the earliest scheduled chat is due next (or its claim ends); null when none is scheduled.
    /// </summary>
    public Task<DueChats> ClaimDueAsync(int max, CancellationToken cancellationToken) =>
        DueChats.ClaimAsync(redis, OutboundKeys.ActionsDue, time.GetUtcNow(), Options.ClaimLease, max, cancellationToken);

    /// <summary>The raw next action of a chat, or null when it has none.</summary>
    public async Task<string?> PeekAsync(long chatId, CancellationToken cancellationToken)
    {
        var head = await redis.ListGetByIndexAsync(OutboundKeys.Actions(chatId), 0).WaitAsync(cancellationToken).ConfigureAwait(false);
        return head.IsNull ? null : head.ToString();
    }

    /// <summary>Removes <paramref name="head"/> after it ran (or, with <paramref name="deadLetter"/>, could not be read); false when the head changed.</summary>
    public async Task<bool> CompleteAsync(long chatId, string head, DeadLetter? deadLetter, CancellationToken cancellationToken)
    {
        RedisKey[] keys = [OutboundKeys.Actions(chatId), OutboundKeys.ActionsDue, OutboundKeys.ActionsParked, OutboundKeys.Flood(chatId), OutboundKeys.Dead];
        RedisValue[] values = [head, OutboundKeys.Id(chatId), NowMs(), deadLetter?.Serialize() ?? "", Options.DeadLetterMaxLength];
        return (long)await redis.ScriptEvaluateAsync(ActionScripts.Complete, keys, values).WaitAsync(cancellationToken).ConfigureAwait(false) >= 0;
    }

    /// <summary>
    /// Puts back <paramref name="head"/> as <paramref name="updated"/>, to run at <paramref name="dueAt"/>; false when the head changed.
    /// With <paramref name="floodWait"/> the wait is Telegram's: the chat's messages wait until then too.
    /// </summary>
    public async Task<bool> RescheduleAsync(
        long chatId, string head, string updated, DateTimeOffset dueAt, bool parked, bool floodWait, CancellationToken cancellationToken)
    {
        RedisKey[] keys =
        [
            OutboundKeys.Actions(chatId), OutboundKeys.ActionsDue, OutboundKeys.ActionsParked, OutboundKeys.Flood(chatId),
            OutboundKeys.Chat(chatId), OutboundKeys.Due, OutboundKeys.Next(chatId),
        ];
        RedisValue[] values = [head, updated, OutboundKeys.Id(chatId), dueAt.ToUnixTimeMilliseconds(), NowMs(), parked ? 1 : 0, floodWait ? 1 : 0];
        return (long)await redis.ScriptEvaluateAsync(ActionScripts.Reschedule, keys, values).WaitAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Gives a claimed chat's actions back without running one.</summary>
    public Task ReleaseAsync(long chatId, CancellationToken cancellationToken) =>
        redis.ScriptEvaluateAsync(
            ActionScripts.Release,
            [OutboundKeys.Actions(chatId), OutboundKeys.ActionsDue, OutboundKeys.Flood(chatId)],
            [OutboundKeys.Id(chatId), NowMs()]).WaitAsync(cancellationToken);

    /// <summary>How many actions wait for <paramref name="chatId"/>.</summary>
    public async Task<long> CountAsync(long chatId, CancellationToken cancellationToken) =>
        await redis.ListLengthAsync(OutboundKeys.Actions(chatId)).WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Chats whose next action is parked, with when it is tried again.</summary>
    public async Task<IReadOnlyList<(long ChatId, DateTimeOffset RetryAt)>> ParkedAsync(CancellationToken cancellationToken)
    {
        var entries = await redis.SortedSetRangeByRankWithScoresAsync(OutboundKeys.ActionsParked).WaitAsync(cancellationToken).ConfigureAwait(false);
        return [.. entries.Select(e => (long.Parse(e.Element.ToString(), CultureInfo.InvariantCulture), DateTimeOffset.FromUnixTimeMilliseconds((long)e.Score)))];
    }

    /// <summary>Until when the chat is held by Telegram's last flood wait; null when it is not.</summary>
    public async Task<DateTimeOffset?> FloodUntilAsync(long chatId, CancellationToken cancellationToken)
    {
        var value = await redis.StringGetAsync(OutboundKeys.Flood(chatId)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return value.TryParse(out long ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
