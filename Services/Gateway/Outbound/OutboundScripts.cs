namespace Atlas.Gateway.Outbound;

/// <summary>
/// The Lua scripts that change the outbox, each one atomic step in Redis. Keys are passed in KEYS (so the key prefix
/// applies); times are unix milliseconds from the gateway's <see cref="TimeProvider"/>.
/// </summary>
internal static class OutboundScripts
{
    private const string Format = "local function ms(x) return string.format('%.0f', x) end\n";

    /// <summary>
    /// hold(floodKey, untilMs, nowMs): the chat is in Telegram's flood wait until untilMs (a later wait already known stands).
    /// floodUntil(floodKey): until when the chat is held (0 when it is not).
    /// </summary>
    internal const string Flood = Format + """
        local function hold(key, untilMs, nowMs)
          if untilMs <= nowMs then return end
          local current = tonumber(redis.call('GET', key) or '0')
          if untilMs > current then redis.call('SET', key, ms(untilMs), 'PX', ms(untilMs - nowMs)) end
        end
        local function floodUntil(key) return tonumber(redis.call('GET', key) or '0') end

        """;

    /// <summary>
    /// Enqueue: remember the idempotency key (or stop as a duplicate, returning -1), append the parts to the chat's
    /// queue, count them, and schedule the chat unless it is scheduled already (no earlier than its next allowed send).
    /// KEYS dedup, chat, due, next, depth. ARGV dedupTtlMs, nowMs, chatId, part...
    /// Returns the queue depth.
    /// </summary>
    public const string Enqueue = Format + """
        if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return -1 end
        for i = 4, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
        local depth = redis.call('INCRBY', KEYS[5], #ARGV - 3)
        local at = math.max(tonumber(ARGV[2]), tonumber(redis.call('GET', KEYS[4]) or '0'))
        redis.call('ZADD', KEYS[3], 'NX', ms(at), ARGV[3])
        return depth
        """;

    /// <summary>
    /// Claim up to ARGV[3] chats whose head is due, oldest first, by moving their score to the end of the lease.
    /// KEYS due. ARGV nowMs, leaseUntilMs, max. Returns the chat ids and the earliest score left on the schedule (nil
    /// when it is empty), so the sender knows when to look again without another call.
    /// </summary>
    public const string Claim = """
        local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
        for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], ARGV[2], id) end
        local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        return {ids, first[2] or false}
        """;

    /// <summary>
    /// Complete the head (sent, or dead-lettered when ARGV[7] is not empty): pop it if it is still ARGV[1], record the
    /// send in a group's window and work out the chat's next allowed send from the spacing, the window and a flood wait
    /// the chat is in, then reschedule the chat or drop it from the schedule when its queue is empty.
    /// KEYS chat, due, next, depth, window, dead, parked, flood. ARGV head, chatId, nowMs, nextAtMs, windowMs, windowMax,
    /// deadEntry, deadMax. Returns the queue depth, or -1 when the head was not ARGV[1].
    /// </summary>
    public const string Complete = Flood + """
        if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then return -1 end
        redis.call('LPOP', KEYS[1])
        local depth = redis.call('DECR', KEYS[4])
        if ARGV[7] ~= '' then
          redis.call('LPUSH', KEYS[6], ARGV[7])
          redis.call('LTRIM', KEYS[6], 0, tonumber(ARGV[8]) - 1)
        end
        local now = tonumber(ARGV[3])
        local nextAt = tonumber(ARGV[4])
        local windowMax = tonumber(ARGV[6])
        if windowMax > 0 then
          local windowMs = tonumber(ARGV[5])
          redis.call('LPUSH', KEYS[5], ARGV[3])
          redis.call('LTRIM', KEYS[5], 0, windowMax - 1)
          redis.call('PEXPIRE', KEYS[5], windowMs)
          if redis.call('LLEN', KEYS[5]) >= windowMax then
            nextAt = math.max(nextAt, tonumber(redis.call('LINDEX', KEYS[5], -1)) + windowMs)
          end
        end
        nextAt = math.max(nextAt, floodUntil(KEYS[8]))
        if nextAt > now then
          redis.call('SET', KEYS[3], ms(nextAt), 'PX', ms(nextAt - now))
        else
          redis.call('DEL', KEYS[3])
        end
        redis.call('ZREM', KEYS[7], ARGV[2])
        if redis.call('LLEN', KEYS[1]) > 0 then
          redis.call('ZADD', KEYS[2], ms(math.max(nextAt, now)), ARGV[2])
        else
          redis.call('ZREM', KEYS[2], ARGV[2])
        end
        return depth
        """;

    /// <summary>
    /// Retry the head later: replace it with its updated retry state if it is still ARGV[1], keep the chat from sending
    /// before ARGV[4] (or the end of a flood wait the chat is in), and mark or unmark it parked. With ARGV[7] = 1 the
    /// wait is Telegram's flood wait: it holds the chat's moderation actions too.
    /// KEYS chat, due, next, parked, flood, actionsDue. ARGV head, newHead, chatId, dueAtMs, nowMs, parked (1/0), floodWait (1/0).
    /// Returns 1, or 0 when the head changed.
    /// </summary>
    public const string Reschedule = Flood + """
        if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then return 0 end
        if ARGV[2] ~= ARGV[1] then redis.call('LSET', KEYS[1], 0, ARGV[2]) end
        local now = tonumber(ARGV[5])
        local dueAt = tonumber(ARGV[4])
        if ARGV[7] == '1' then
          hold(KEYS[5], dueAt, now)
          redis.call('ZADD', KEYS[6], 'XX', 'GT', ms(dueAt), ARGV[3])
        end
        dueAt = math.max(dueAt, floodUntil(KEYS[5]))
        if dueAt > now then redis.call('SET', KEYS[3], ms(dueAt), 'PX', ms(dueAt - now)) end
        redis.call('ZADD', KEYS[2], ms(dueAt), ARGV[3])
        if ARGV[6] == '1' then redis.call('ZADD', KEYS[4], ms(dueAt), ARGV[3]) else redis.call('ZREM', KEYS[4], ARGV[3]) end
        return 1
        """;

    /// <summary>
    /// Give a claimed chat back without sending: unschedule it when its queue is empty, else schedule it at its next allowed send.
    /// KEYS chat, due, next. ARGV chatId, nowMs.
    /// </summary>
    public const string Release = Format + """
        if redis.call('LLEN', KEYS[1]) == 0 then
          redis.call('ZREM', KEYS[2], ARGV[1])
          return 0
        end
        local at = math.max(tonumber(ARGV[2]), tonumber(redis.call('GET', KEYS[3]) or '0'))
        redis.call('ZADD', KEYS[2], ms(at), ARGV[1])
        return 1
        """;

    /// <summary>
    /// Move: a group became a supergroup. The group's queue goes in front of the supergroup's (it was queued first), in
    /// order, but behind the supergroup's head: that head may be in flight right now, and its outcome is recorded
    /// against the head it was sent as (moving in front of it would leave the supergroup claimed for the whole lease
    /// and send it twice). The group leaves the schedule and the parked set (its claim too); the supergroup is
    /// scheduled now unless it is scheduled already (a claim or a spacing wait stays as it is).
    /// KEYS from, to, due, parked. ARGV fromId, toId, nowMs.
    /// Returns how many messages moved.
    /// </summary>
    public const string Move = Format + """
        local moved = redis.call('LRANGE', KEYS[1], 0, -1)
        redis.call('ZREM', KEYS[3], ARGV[1])
        redis.call('ZREM', KEYS[4], ARGV[1])
        if #moved == 0 then return 0 end
        local head = redis.call('LPOP', KEYS[2])
        for i = #moved, 1, -1 do redis.call('LPUSH', KEYS[2], moved[i]) end
        if head then redis.call('LPUSH', KEYS[2], head) end
        redis.call('DEL', KEYS[1])
        redis.call('ZADD', KEYS[3], 'NX', ms(tonumber(ARGV[3])), ARGV[2])
        return #moved
        """;
}
