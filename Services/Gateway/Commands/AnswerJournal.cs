using System.Globalization;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Locales;
using Atlas.Gateway.Outbound;
using Atlas.ServiceDefaults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atlas.Gateway.Commands;

/// <summary>
/// The answers this process still owes, kept in Redis so that a crash (kill -9, OOM) does not swallow them: an answer
/// that leaves the chat's turn (<see cref="PendingAnswers"/>) is recorded before its update counts as handled, and
/// forgotten once it was delivered. Each process renews a lease (<see cref="RequestOptions.PendingAnswerLease"/>);
/// any process finding another's lease gone takes that process's debts over in one atomic step and tells each user
/// politely that the answer is not coming ("temporarily unavailable", in the user's language, under the answer's own
/// outbox key, so the user gets the answer or this, once). A clean stop gives its lease up at once. Without Redis the
/// answer still runs, unrecorded, as before.
/// </summary>
public sealed class AnswerJournal(
    IDatabase redis, IOutbox outbox, ServiceIdentity identity, TimeProvider time, IOptions<RequestOptions> options, ILogger<AnswerJournal> logger)
    : BackgroundService
{
    public const string InstancesKey = "gateway:answers:instances";

    // KEYS: the other's lease, the other's debts, the instance set, our debts. ARGV: the other's id.
    // Only while the other's lease is gone: its debts move to us (so a crash of ours right now loses none) and it is forgotten.
    private const string TakeOverScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return {} end
        local debts = redis.call('HGETALL', KEYS[2])
        for i = 1, #debts, 2 do redis.call('HSET', KEYS[4], debts[i], debts[i + 1]) end
        redis.call('DEL', KEYS[2])
        redis.call('SREM', KEYS[3], ARGV[1])
        return debts
        """;

    private readonly string _instance = identity.InstanceId;
    private int _leaseGivenUp;

    public static string DebtsKey(string instance) => $"gateway:answers:owed:{instance}";

    public static string LeaseKey(string instance) => $"gateway:answers:lease:{instance}";

    /// <summary>Records that update <paramref name="updateId"/>'s answer is owed to <paramref name="chatId"/>; false when Redis cannot say so.</summary>
    public async Task<bool> RecordAsync(long updateId, long chatId, string? languageCode, CancellationToken cancellationToken)
    {
        try
        {
            var batch = redis.CreateBatch();
            var owed = batch.HashSetAsync(DebtsKey(_instance), updateId, string.Create(CultureInfo.InvariantCulture, $"{chatId}:{languageCode}"));
            var lease = RenewAsync(batch);
            batch.Execute();
            await Task.WhenAll(owed, lease).WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            GatewayLog.AnswerNotRecorded(logger, updateId, exception.GetType().Name);
            return false;
        }
    }

    /// <summary>The answer to <paramref name="updateId"/> was delivered (or the user was told it is not coming).</summary>
    public async Task ForgetAsync(long updateId)
    {
        try
        {
            await redis.HashDeleteAsync(DebtsKey(_instance), updateId).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Left owed: whoever takes it over finds the answer's outbox key taken, so the user is not told twice.
            GatewayLog.AnswerNotForgotten(logger, updateId, exception.GetType().Name);
        }
    }

    /// <summary>
    /// Tells the user of <paramref name="updateId"/> the answer is not coming, then forgets it. It goes out under the
    /// answer's own outbox key (<c>update:&lt;id&gt;:reply</c>), so when the answer (or its polite "unavailable") was
    /// queued before the process died and was not yet struck from the journal, the outbox drops this one: the user
    /// gets one of the two, never both.
    /// </summary>
    public async Task ApologiseAsync(long updateId, long chatId, string? languageCode, CancellationToken cancellationToken)
    {
        var text = BotTexts.Get(TextKeys.ServiceUnavailable, BotTexts.CultureFor(languageCode));
        await outbox.EnqueueAsync(new OutboundMessage(Replies.KeyFor(updateId, Replies.Reply), chatId, text), cancellationToken).ConfigureAwait(false);
        await ForgetAsync(updateId).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PendingAnswerLease / 3, time);
        try
        {
            do
            {
                try
                {
                    await RenewAsync(redis).ConfigureAwait(false);
                    await SweepAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is RedisException or TimeoutException)
                {
                    GatewayLog.AnswerSweepFailed(logger, exception.GetType().Name);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);

        // The host may stop twice (a test factory does), the second time after the Redis connection was disposed.
        if (Interlocked.Exchange(ref _leaseGivenUp, 1) == 1)
        {
            return;
        }

        try
        {
            // What is still owed now (answers the shutdown cancelled) goes to the next process that looks, without waiting for the lease.
            await redis.KeyDeleteAsync(LeaseKey(_instance)).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or ObjectDisposedException)
        {
            // The lease then runs out by itself.
            GatewayLog.AnswerSweepFailed(logger, exception.GetType().Name);
        }
    }

    private Task<bool[]> RenewAsync(IDatabaseAsync database) => Task.WhenAll(
        database.StringSetAsync(LeaseKey(_instance), 1, options.Value.PendingAnswerLease),
        database.SetAddAsync(InstancesKey, _instance));

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        foreach (var member in await redis.SetMembersAsync(InstancesKey).ConfigureAwait(false))
        {
            var other = member.ToString();
            if (other == _instance)
            {
                continue;
            }

            var debts = (RedisValue[]?)await redis.ScriptEvaluateAsync(
                TakeOverScript, [LeaseKey(other), DebtsKey(other), InstancesKey, DebtsKey(_instance)], [other]).ConfigureAwait(false) ?? [];
            if (debts.Length == 0)
            {
                continue;
            }

            GatewayLog.AnswersTakenOver(logger, debts.Length / 2, other);
            for (var i = 0; i + 1 < debts.Length; i += 2)
            {
                var value = debts[i + 1].ToString();
                var separator = value.IndexOf(':', StringComparison.Ordinal);
                if (!long.TryParse(debts[i].ToString(), CultureInfo.InvariantCulture, out var updateId) || separator < 0
                    || !long.TryParse(value.AsSpan(0, separator), CultureInfo.InvariantCulture, out var chatId))
                {
                    GatewayLog.AnswerDebtUnreadable(logger, debts[i].ToString());
                    await redis.HashDeleteAsync(DebtsKey(_instance), debts[i]).ConfigureAwait(false);
                    continue;
                }

                var language = separator + 1 < value.Length ? value[(separator + 1)..] : null;
                await ApologiseAsync(updateId, chatId, language, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
