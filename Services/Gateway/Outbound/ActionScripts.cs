namespace Atlas.Gateway.Outbound;

/// <summary>
/// The Lua scripts of the moderation-action lane (see <see cref="ActionStore"/>), each one atomic step in Redis, in the
/// style of <see cref="OutboundScripts"/>. A chat's actions have a schedule of their own (<c>actions-due</c>), so they
/// never wait behind the chat's messages or its send spacing; they share only the chat's flood wait (<c>flood</c>).
/// </summary>
internal static class ActionScripts
{
    /// <summary>
    /// Enqueue an action: remember its id (or stop as a duplicate, returning -1), append it to the chat's actions and
    /// schedule the chat's actions unless they are scheduled already (no earlier than a flood wait the chat is in).
    /// KEYS dedup, actions, actionsDue, flood. ARGV dedupTtlMs, nowMs, chatId, entry. Returns the actions queued.
    /// </summary>
    public const string Enqueue = OutboundScripts.Flood + """
        if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return -1 end
        local length = redis.call('RPUSH', KEYS[2], ARGV[4])
        redis.call('ZADD', KEYS[3], 'NX', ms(math.max(tonumber(ARGV[2]), floodUntil(KEYS[4]))), ARGV[3])
        return length
        """;

    /// <summary>
    /// Complete the head action (carried out, or dead-lettered when ARGV[4] is not empty): pop it if it is still ARGV[1],
    /// unpark the chat, and schedule its next action (no earlier than a flood wait) or drop it from the schedule.
    /// Nothing about the chat's message spacing changes: an action is not a message.
    /// KEYS actions, actionsDue, actionsParked, flood, dead. ARGV head, chatId, nowMs, deadEntry, deadMax.
    /// Returns the actions left, or -1 when the head was not ARGV[1].
    /// </summary>
    public const string Complete = OutboundScripts.Flood + """
        if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then return -1 end
        redis.call('LPOP', KEYS[1])
        if ARGV[4] ~= '' then
          redis.call('LPUSH', KEYS[5], ARGV[4])
          redis.call('LTRIM', KEYS[5], 0, tonumber(ARGV[5]) - 1)
        end
        redis.call('ZREM', KEYS[3], ARGV[2])
        local left = redis.call('LLEN', KEYS[1])
        if left > 0 then
          redis.call('ZADD', KEYS[2], ms(math.max(tonumber(ARGV[3]), floodUntil(KEYS[4]))), ARGV[2])
        else
          redis.call('ZREM', KEYS[2], ARGV[2])
        end
        return left
        """;

    /// <summary>
    /// Retry the head action later: replace it with its updated retry state if it is still ARGV[1], schedule it at ARGV[4]
    /// (or the end of a flood wait the chat is in), and mark or unmark it parked. With ARGV[7] = 1 the wait is
    /// Telegram's flood wait: the chat's messages wait until then too (its next allowed send moves, never earlier).
    /// KEYS actions, actionsDue, actionsParked, flood, chat, due, next. ARGV head, newHead, chatId, dueAtMs, nowMs,
    /// parked (1/0), floodWait (1/0). Returns 1, or 0 when the head changed.
    /// </summary>
    public const string Reschedule = OutboundScripts.Flood + """
        if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then return 0 end
        if ARGV[2] ~= ARGV[1] then redis.call('LSET', KEYS[1], 0, ARGV[2]) end
        local now = tonumber(ARGV[5])
        local dueAt = tonumber(ARGV[4])
        if ARGV[7] == '1' and dueAt > now then
          hold(KEYS[4], dueAt, now)
          local nextSend = tonumber(redis.call('GET', KEYS[7]) or '0')
          if dueAt > nextSend then redis.call('SET', KEYS[7], ms(dueAt), 'PX', ms(dueAt - now)) end
          if redis.call('LLEN', KEYS[5]) > 0 then redis.call('ZADD', KEYS[6], 'GT', ms(dueAt), ARGV[3]) end
        end
        dueAt = math.max(dueAt, floodUntil(KEYS[4]))
        redis.call('ZADD', KEYS[2], ms(dueAt), ARGV[3])
        if ARGV[6] == '1' then redis.call('ZADD', KEYS[3], ms(dueAt), ARGV[3]) else redis.call('ZREM', KEYS[3], ARGV[3]) end
        return 1
        """;

    /// <summary>
    /// Give a claimed chat's actions back without running one: unschedule them when none is left, else schedule them now
    /// (or at the end of a flood wait). KEYS actions, actionsDue, flood. ARGV chatId, nowMs.
    /// </summary>
    public const string Release = OutboundScripts.Flood + """
        if redis.call('LLEN', KEYS[1]) == 0 then
          redis.call('ZREM', KEYS[2], ARGV[1])
          return 0
        end
        redis.call('ZADD', KEYS[2], ms(math.max(tonumber(ARGV[2]), floodUntil(KEYS[3]))), ARGV[1])
        return 1
        """;
}
