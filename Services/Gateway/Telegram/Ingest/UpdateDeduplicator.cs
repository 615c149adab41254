using System.Collections.Concurrent;
using Atlas.Gateway.Diagnostics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>
/// Exactly-once effect per update_id, kept in Redis:
/// <list type="bullet">
/// <item><c>gateway:ingest:handled:{update_id}</c> is set (for <see cref="IngestOptions.DedupRetention"/>) only after
/// the handler succeeded, so a crash mid-handling leaves the update unmarked and its redelivery is handled.</item>
/// <item><c>gateway:ingest:claim:{update_id}</c> is a short lease taken before handling and renewed while the handler
/// runs, so two copies of one update never run at the same time (two gateway instances, or Telegram's retry
/// arriving while the first copy is still being handled). After a crash the lease simply runs out.</item>
/// </list>
/// Without Redis the update is still handled (at least once): answering /help matters more than a rare repeat.
/// </summary>
internal sealed class UpdateDeduplicator(IDatabase redis, IOptions<IngestOptions> options, TimeProvider time, ILogger<UpdateDeduplicator> logger)
{
    public const string HandledKeyPrefix = "gateway:ingest:handled:";
    public const string ClaimKeyPrefix = "gateway:ingest:claim:";

    private static readonly TimeSpan ClaimPollInterval = TimeSpan.FromMilliseconds(100);

    // 0: already handled; 1: claimed by us; 2: claimed by someone else.
    private const string ClaimScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
        return 2
        """;

    // For each (handled, claim) key pair: 0 handled already, 1 claimed by us, 2 claimed by someone else.
    private const string ClaimBatchScript = """
        local states = {}
        for i = 1, #KEYS, 2 do
          if redis.call('EXISTS', KEYS[i]) == 1 then states[#states + 1] = 0
          elseif redis.call('SET', KEYS[i + 1], ARGV[1], 'NX', 'PX', ARGV[2]) then states[#states + 1] = 1
          else states[#states + 1] = 2 end
        end
        return states
        """;

    private const string RenewBatchScript = """
        local renewed = 0
        for i = 1, #KEYS do
          if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('PEXPIRE', KEYS[i], ARGV[2]); renewed = renewed + 1 end
        end
        return renewed
        """;

    private const string CompleteScript = """
        redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
        if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
        return 1
        """;

    // KEYS: (handled, claim) pairs.
    private const string CompleteBatchScript = """
        for i = 1, #KEYS, 2 do
          redis.call('SET', KEYS[i], ARGV[2], 'EX', ARGV[3])
          if redis.call('GET', KEYS[i + 1]) == ARGV[1] then redis.call('DEL', KEYS[i + 1]) end
        end
        return #KEYS / 2
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    private const string RenewScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return 0
        """;

    private readonly IngestOptions _options = options.Value;

    // The open claims of this process's batches, by update id: a copy that finds its update busy looks here first.
    private readonly ConcurrentDictionary<long, BatchClaim> _held = new();

    /// <summary>
    /// Claims a batch's updates in one Redis call. Each id comes back handled already, claimed by this batch, or
    /// claimed by another copy still running (the caller then waits through <see cref="ClaimAsync"/>). Without Redis
    /// every id is unguarded.
    /// </summary>
    public async Task<BatchClaim> ClaimBatchAsync(IReadOnlyList<long> updateIds)
    {
        ArgumentNullException.ThrowIfNull(updateIds);
        var token = Guid.NewGuid().ToString("N");
        if (updateIds.Count == 0)
        {
            return new BatchClaim(this, token, updateIds, []);
        }

        if (!redis.Multiplexer.IsConnected)
        {
            GatewayLog.DedupUnavailable(logger, updateIds[0], "not connected");
            return BatchClaim.Unguarded(this, token, updateIds);
        }

        var keys = new RedisKey[updateIds.Count * 2];
        for (var i = 0; i < updateIds.Count; i++)
        {
            keys[2 * i] = HandledKey(updateIds[i]);
            keys[(2 * i) + 1] = ClaimKey(updateIds[i]);
        }

        try
        {
            var states = (long[]?)await redis.ScriptEvaluateAsync(
                ClaimBatchScript, keys, [token, (long)_options.HandlingLease.TotalMilliseconds]).ConfigureAwait(false) ?? [];
            return new BatchClaim(this, token, updateIds, [.. states.Select(state => (ClaimState)state)]);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or ObjectDisposedException)
        {
            GatewayLog.DedupUnavailable(logger, updateIds[0], exception.GetType().Name);
            return BatchClaim.Unguarded(this, token, updateIds);
        }
    }

    /// <summary>
    /// Claims the update for handling. Waits while another copy is being handled (bounded by twice the lease), then
    /// answers <see cref="UpdateClaim.Duplicate"/> if that copy succeeded.
    /// </summary>
    public async Task<UpdateClaim> ClaimAsync(long updateId, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid().ToString("N");
        RedisKey[] keys = [HandledKey(updateId), ClaimKey(updateId)];
        RedisValue[] values = [token, (long)_options.HandlingLease.TotalMilliseconds];
        var giveUpAt = time.GetUtcNow() + (2 * _options.HandlingLease);
        while (true)
        {
            if (!redis.Multiplexer.IsConnected)
            {
                GatewayLog.DedupUnavailable(logger, updateId, "not connected");
                return UpdateClaim.Unguarded;
            }

            long state;
            try
            {
                state = (long)await redis.ScriptEvaluateAsync(ClaimScript, keys, values).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException or ObjectDisposedException)
            {
                GatewayLog.DedupUnavailable(logger, updateId, exception.GetType().Name);
                return UpdateClaim.Unguarded;
            }

            switch (state)
            {
                case 0:
                    return UpdateClaim.Duplicate;
                case 1:
                    return new UpdateClaim(this, updateId, token);
            }

            // Held by a batch of this process that has not begun it: that batch is behind ours in the chat's line (the
            // earlier turn is ours), so it hands the claim over rather than have us wait for a turn that waits for us.
            if (TryTakeOver(updateId) is { } taken)
            {
                return taken;
            }

            if (time.GetUtcNow() >= giveUpAt)
            {
                throw new UpdateBusyException(updateId);
            }

            await Task.Delay(ClaimPollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    internal void Hold(long updateId, BatchClaim claim) => _held[updateId] = claim;

    internal void Unhold(long updateId, BatchClaim claim) => _held.TryRemove(new KeyValuePair<long, BatchClaim>(updateId, claim));

    private UpdateClaim? TryTakeOver(long updateId) =>
        _held.TryGetValue(updateId, out var holder) && holder.TryHandOver(updateId) is { } token ? new UpdateClaim(this, updateId, token) : null;

    internal TimeSpan RenewInterval => _options.HandlingLease / 3;

    internal TimeProvider Time => time;

    internal async Task CompleteAsync(long updateId, string token)
    {
        var retentionSeconds = (long)_options.DedupRetention.TotalSeconds;
        try
        {
            await redis.ScriptEvaluateAsync(
                CompleteScript,
                [HandledKey(updateId), ClaimKey(updateId)],
                [token, time.GetUtcNow().ToUnixTimeSeconds(), retentionSeconds]).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or ObjectDisposedException)
        {
            // The handler's effect happened; throwing now would make the bus run it again. A later redelivery may repeat it.
            GatewayLog.HandledMarkNotSaved(logger, updateId, exception.GetType().Name);
        }
    }

    internal async Task CompleteBatchAsync(IReadOnlyCollection<long> updateIds, string token)
    {
        if (updateIds.Count == 0)
        {
            return;
        }

        try
        {
            await redis.ScriptEvaluateAsync(
                CompleteBatchScript,
                [.. updateIds.SelectMany(id => new RedisKey[] { HandledKey(id), ClaimKey(id) })],
                [token, time.GetUtcNow().ToUnixTimeSeconds(), (long)_options.DedupRetention.TotalSeconds]).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or ObjectDisposedException)
        {
            // As for one update: the effects happened, so a failed mark is logged, not thrown.
            foreach (var updateId in updateIds)
            {
                GatewayLog.HandledMarkNotSaved(logger, updateId, exception.GetType().Name);
            }
        }
    }

    internal async Task ReleaseAsync(long updateId, string token)
    {
        try
        {
            await redis.ScriptEvaluateAsync(ReleaseScript, [ClaimKey(updateId)], [token]).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or ObjectDisposedException)
        {
            GatewayLog.ClaimNotReleased(logger, updateId, exception.GetType().Name);
        }
    }

    internal async Task RenewBatchAsync(IReadOnlyCollection<long> updateIds, string token)
    {
        if (updateIds.Count == 0)
        {
            return;
        }

        try
        {
            await redis.ScriptEvaluateAsync(
                RenewBatchScript, [.. updateIds.Select(ClaimKey)], [token, (long)_options.HandlingLease.TotalMilliseconds]).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or ObjectDisposedException)
        {
            // The next renewal tries again; a lease that runs out only lets a second copy wait less.
        }
    }

    internal async Task<bool> RenewAsync(long updateId, string token)
    {
        try
        {
            var renewed = (long)await redis.ScriptEvaluateAsync(
                RenewScript, [ClaimKey(updateId)], [token, (long)_options.HandlingLease.TotalMilliseconds]).ConfigureAwait(false);
            return renewed == 1;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or ObjectDisposedException)
        {
            return false;
        }
    }

    private static RedisKey HandledKey(long updateId) => HandledKeyPrefix + updateId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static RedisKey ClaimKey(long updateId) => ClaimKeyPrefix + updateId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
