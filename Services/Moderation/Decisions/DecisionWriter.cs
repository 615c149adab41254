using System.Text.Json;
using System.Threading.Channels;
using Atlas.Moderation.Consumers;
using Atlas.Moderation.Diagnostics;
using Npgsql;

namespace Atlas.Moderation.Decisions;

/// <summary>
/// Group commit for judged group messages: every decision waiting to be written when the writer is free goes into
/// one PostgreSQL transaction (up to <see cref="MaxGroup"/>), so a burst of messages costs one claim, one batch of
/// writes and one commit (one WAL flush) instead of a transaction each. Each message keeps its own bus delivery: its
/// consumer waits for its group's commit before it publishes and acknowledges, so nothing is acknowledged before it
/// is durable. In the transaction the events are first claimed in <c>processed_events</c> (one
/// <c>INSERT ... ON CONFLICT DO NOTHING RETURNING</c>, keys in order; a concurrent delivery of the same event waits
/// there for the other transaction to end); only claimed events are then decided, one after the other on the
/// transaction's connection (so a member's warnings in one group are counted in order), and their audit rows and
/// messages written in one round trip. An event found claimed already gets the messages stored by the delivery that
/// decided it, to publish again. A group that fails for another reason than an outage is written again one event at
/// a time, so a bad event fails alone; an outage fails the whole group (each delivery is retried by the bus).
/// </summary>
public sealed class DecisionWriter(NpgsqlDataSource dataSource, TimeProvider time, ModerationMetrics metrics, ILogger<DecisionWriter> logger)
    : BackgroundService
{
    /// <summary>Most events written in one transaction.</summary>
    public const int MaxGroup = 128;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string NothingToDo = JsonSerializer.Serialize(new Effects(), Json);
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>
    /// Writes the decision of <paramref name="eventKey"/> (<paramref name="decide"/> null: it calls for nothing) in the
    /// next group and returns once that group is committed. <paramref name="warns"/> is the member the decision may
    /// warn: the group locks and counts the warnings of all such members in its first round trip, so a warning adds none.
    /// </summary>
    public Task<Written> WriteAsync(string eventKey, Func<ModerationSession, Task>? decide, WarnTarget? warns, CancellationToken cancellationToken)
    {
        var pending = new Pending(eventKey, decide, warns, cancellationToken);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new OperationCanceledException("The moderation service is stopping.");
        }

        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<Pending>(MaxGroup);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (group.Count < MaxGroup && _queue.Reader.TryRead(out var pending))
                {
                    // A delivery given up meanwhile (its consumer was cancelled) is left to its redelivery.
                    if (!pending.Completion.Task.IsCompleted && !pending.CancellationToken.IsCancellationRequested)
                    {
                        group.Add(pending);
                    }
                }

                if (group.Count > 0)
                {
                    await WriteGroupAsync(group, stoppingToken).ConfigureAwait(false);
                }

                group.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still waiting is redelivered by the broker.
        }
        finally
        {
            _queue.Writer.TryComplete();
            foreach (var pending in group)
            {
                pending.Completion.TrySetCanceled(stoppingToken);
            }

            while (_queue.Reader.TryRead(out var left))
            {
                left.Completion.TrySetCanceled(stoppingToken);
            }
        }
    }

    private async Task WriteGroupAsync(List<Pending> group, CancellationToken stoppingToken)
    {
        try
        {
            var written = await WriteAsync(group, stoppingToken).ConfigureAwait(false);
            for (var i = 0; i < group.Count; i++)
            {
                group[i].Completion.TrySetResult(written[i]);
            }
        }
        catch (Exception exception) when (group.Count > 1 && !stoppingToken.IsCancellationRequested && !Outages.IsOutage(exception))
        {
            ModerationLog.GroupWrittenAlone(logger, group.Count, exception.GetType().Name);
            foreach (var pending in group)
            {
                await WriteGroupAsync([pending], stoppingToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            foreach (var pending in group)
            {
                pending.Completion.TrySetException(exception);
            }
        }
    }

    private async Task<Written[]> WriteAsync(List<Pending> group, CancellationToken cancellationToken)
    {
        var results = new Written?[group.Count];
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            var (claimed, counts) = await ClaimAsync(transaction, group, now, cancellationToken).ConfigureAwait(false);
            var writes = new List<NpgsqlBatchCommand>();
            for (var i = 0; i < group.Count; i++)
            {
                var pending = group[i];
                if (!claimed.Remove(pending.EventKey))
                {
                    continue;
                }

                if (pending.Decide is null)
                {
                    results[i] = Written.Nothing;
                    continue;
                }

                var session = new ModerationSession(pending.EventKey, transaction, time, metrics, logger) { Now = now, WarningCounts = counts };
                await pending.Decide(session).ConfigureAwait(false);
                writes.AddRange(session.TakePendingWrites());
                writes.Add(ModerationSession.Statement(
                    "UPDATE processed_events SET effects = $2::jsonb WHERE event_key = $1",
                    pending.EventKey, JsonSerializer.Serialize(session.Effects, Json)));
                results[i] = new Written(session, session.Effects);
            }

            if (writes.Count > 0)
            {
                await using var batch = new NpgsqlBatch(connection, transaction);
                writes.ForEach(batch.BatchCommands.Add);
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        metrics.GroupWritten(group.Count);

        await FillRepeatedAsync(connection, group, results, cancellationToken).ConfigureAwait(false);
        return results!;
    }

    // One round trip: the group's events claimed in one statement (keys in order, so two writers claiming overlapping
    // keys take them in the same order), then the locks of the members its events may warn (in order) and their
    // warnings in force.
    private static async Task<(HashSet<string> Claimed, Dictionary<(long ChatId, long UserId), long> Counts)> ClaimAsync(
        NpgsqlTransaction transaction, List<Pending> group, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keys = group.Select(p => p.EventKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var members = group.Where(p => p.Warns is not null).Select(p => p.Warns!)
            .DistinctBy(w => (w.ChatId, w.UserId)).OrderBy(w => w.ChatId).ThenBy(w => w.UserId).ToArray();
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        batch.BatchCommands.Add(ModerationSession.Statement(
            """
            INSERT INTO processed_events (event_key, effects, processed_at)
            SELECT key, $2::jsonb, $3 FROM unnest($1::text[]) WITH ORDINALITY AS k(key, position) ORDER BY position
            ON CONFLICT (event_key) DO NOTHING RETURNING event_key
            """, keys, NothingToDo, now));
        if (members.Length > 0)
        {
            batch.BatchCommands.Add(ModerationSession.Statement(
                "SELECT pg_advisory_xact_lock(hashtextextended(key, 11)) FROM unnest($1::text[]) WITH ORDINALITY AS l(key, position)",
                (object)members.Select(w => Warnings.LockKey(w.ChatId, w.UserId)).ToArray()));
            batch.BatchCommands.Add(ModerationSession.Statement(
                """
                SELECT m.chat_id, m.user_id,
                       (SELECT count(*) FROM warnings w WHERE w.chat_id = m.chat_id AND w.user_id = m.user_id
                          AND (m.lifetime = 0 OR w.issued_at > $4 - make_interval(secs => m.lifetime)))
                FROM unnest($1::bigint[], $2::bigint[], $3::double precision[]) AS m(chat_id, user_id, lifetime)
                """,
                members.Select(w => w.ChatId).ToArray(), members.Select(w => w.UserId).ToArray(),
                members.Select(w => w.Lifetime?.TotalSeconds ?? 0).ToArray(), now));
        }

        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var counts = new Dictionary<(long ChatId, long UserId), long>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            claimed.Add(reader.GetString(0));
        }

        if (members.Length > 0)
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                counts[(reader.GetInt64(0), reader.GetInt64(1))] = reader.GetInt64(2);
            }
        }

        return (claimed, counts);
    }

    // Events another delivery decided (before, or in this very group): the messages it stored, to publish again.
    private static async Task FillRepeatedAsync(NpgsqlConnection connection, List<Pending> group, Written?[] results, CancellationToken cancellationToken)
    {
        var repeated = Enumerable.Range(0, group.Count).Where(i => results[i] is null).ToArray();
        if (repeated.Length == 0)
        {
            return;
        }

        var stored = new Dictionary<string, Effects>(StringComparer.Ordinal);
        if (repeated.Any(i => group[i].Decide is not null))
        {
            await using var read = new NpgsqlCommand("SELECT event_key, effects::text FROM processed_events WHERE event_key = ANY($1)", connection);
            read.Parameters.Add(new NpgsqlParameter { Value = repeated.Select(i => group[i].EventKey).Distinct(StringComparer.Ordinal).ToArray() });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                stored[reader.GetString(0)] = JsonSerializer.Deserialize<Effects>(reader.GetString(1), Json) ?? new Effects();
            }
        }

        foreach (var i in repeated)
        {
            // A message that calls for nothing leaves a record made before alone, and publishes nothing.
            results[i] = group[i].Decide is null
                ? Written.Nothing
                : new Written(null, stored.GetValueOrDefault(group[i].EventKey) ?? new Effects());
        }
    }

    private sealed record Pending(string EventKey, Func<ModerationSession, Task>? Decide, WarnTarget? Warns, CancellationToken CancellationToken)
    {
        public TaskCompletionSource<Written> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>A member a decision may warn, with how long a warning counts in its chat (null: for good).</summary>
public sealed record WarnTarget(long ChatId, long UserId, TimeSpan? Lifetime);

/// <summary>
/// What a written event publishes: a fresh decision's <see cref="Session"/> and its messages, or (no session) the
/// messages an earlier delivery of the event stored.
/// </summary>
public sealed record Written(ModerationSession? Session, Effects Effects)
{
    public static Written Nothing { get; } = new(null, new Effects());

    public bool Repeated => Session is null && !Effects.IsEmpty;
}
