using System.Diagnostics;
using System.Text.Json;
using Atlas.Moderation.Diagnostics;
using MassTransit;
using Npgsql;

namespace Atlas.Moderation.Decisions;

/// <summary>
/// Runs the decision of one event exactly once: an advisory lock on the event key serialises concurrent deliveries,
/// <c>processed_events</c> remembers the key and the bus messages the decision produced (in the same transaction as
/// its audit rows), and those messages are published after the commit. A redelivery finds the key and publishes the
/// stored messages again; the gateway carries out each action id and idempotency key once, so a crash between
/// commit and publish loses nothing and repeats nothing. PostgreSQL being down throws, and the bus redelivers later.
/// The transaction holds a pooled connection, so whatever may wait on another system (a bus request, an HTTP call)
/// is done by the caller before <see cref="RunAsync"/>, not inside <c>decide</c>.
/// </summary>
public sealed class ModerationSessions(NpgsqlDataSource dataSource, TimeProvider time, ModerationMetrics metrics, ILogger<ModerationSessions> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string NothingToDo = JsonSerializer.Serialize(new Effects(), Json);

    /// <summary>Decides <paramref name="eventKey"/> once; <paramref name="started"/> (a <see cref="Stopwatch"/> timestamp) is when its decision began, for the metric.</summary>
    public async Task RunAsync(
        string eventKey, IPublishEndpoint publisher, Func<ModerationSession, Task> decide, CancellationToken cancellationToken, long? started = null)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(decide);
        started ??= Stopwatch.GetTimestamp();
        ModerationSession session;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await LockAndReadStoredAsync(eventKey, transaction, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                ModerationLog.EventAlreadyHandled(logger, eventKey, stored.Actions.Count);
                await PublishAsync(publisher, stored, cancellationToken).ConfigureAwait(false);
                return;
            }

            session = new ModerationSession(eventKey, transaction, time, metrics, logger);
            await decide(session).ConfigureAwait(false);
            await using (var record = session.Batch(
                [.. session.TakePendingWrites(),
                 ModerationSession.Statement(
                     "INSERT INTO processed_events (event_key, effects, processed_at) VALUES ($1, $2::jsonb, $3)",
                     eventKey, JsonSerializer.Serialize(session.Effects, Json), session.Now)]))
            {
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        await PublishAsync(publisher, session.Effects, cancellationToken).ConfigureAwait(false);
        session.Published();
        metrics.DecisionTook(Stopwatch.GetElapsedTime(started.Value));
    }

    /// <summary>
    /// Decides a group message whose decision was made before (<see cref="MessageJudge"/>: it only writes what was
    /// decided) in fewer round trips than <see cref="RunAsync"/>: no event lock up front; the event's record goes with
    /// the audit rows (<c>ON CONFLICT DO NOTHING</c>, which waits for a concurrent delivery of the same event to end),
    /// and when the record was there already this transaction rolls back and the stored messages are published
    /// instead. So a delete costs one round trip and the commit, a warning one more (its member lock, insert and count).
    /// </summary>
    public async Task DecideAsync(string eventKey, IPublishEndpoint publisher, Func<ModerationSession, Task> decide, long started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(decide);
        ModerationSession session;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            session = new ModerationSession(eventKey, transaction, time, metrics, logger);
            await decide(session).ConfigureAwait(false);
            var record = ModerationSession.Statement(
                "INSERT INTO processed_events (event_key, effects, processed_at) VALUES ($1, $2::jsonb, $3) ON CONFLICT (event_key) DO NOTHING",
                eventKey, JsonSerializer.Serialize(session.Effects, Json), session.Now);
            await using (var writes = session.Batch([.. session.TakePendingWrites(), record]))
            {
                await writes.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (record.RecordsAffected == 0)
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                var stored = await StoredAsync(connection, eventKey, cancellationToken).ConfigureAwait(false);
                ModerationLog.EventAlreadyHandled(logger, eventKey, stored.Actions.Count);
                await PublishAsync(publisher, stored, cancellationToken).ConfigureAwait(false);
                return;
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        await PublishAsync(publisher, session.Effects, cancellationToken).ConfigureAwait(false);
        session.Published();
        metrics.DecisionTook(Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Records <paramref name="eventKey"/> as handled with nothing to do, in one statement and no transaction. When the
    /// key is there already (a concurrent delivery decided it, maybe differently), that record stands.
    /// </summary>
    public async Task RecordNothingToDoAsync(string eventKey, long started, CancellationToken cancellationToken)
    {
        await using var record = dataSource.CreateCommand(
            "INSERT INTO processed_events (event_key, effects, processed_at) VALUES ($1, $2::jsonb, $3) ON CONFLICT (event_key) DO NOTHING");
        record.Parameters.Add(new NpgsqlParameter { Value = eventKey });
        record.Parameters.Add(new NpgsqlParameter { Value = NothingToDo });
        record.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
        await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        metrics.DecisionTook(Stopwatch.GetElapsedTime(started));
    }

    // The event's lock, then (in the same round trip, with a snapshot taken after the lock) its stored effects if any.
    private static async Task<Effects?> LockAndReadStoredAsync(string eventKey, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction)
        {
            BatchCommands =
            {
                ModerationSession.Statement("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))", eventKey),
                ModerationSession.Statement("SELECT effects::text FROM processed_events WHERE event_key = $1", eventKey),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? JsonSerializer.Deserialize<Effects>(reader.GetString(0), Json) ?? new Effects()
            : null;
    }

    private static async Task<Effects> StoredAsync(NpgsqlConnection connection, string eventKey, CancellationToken cancellationToken)
    {
        await using var read = new NpgsqlCommand("SELECT effects::text FROM processed_events WHERE event_key = $1", connection);
        read.Parameters.Add(new NpgsqlParameter { Value = eventKey });
        return await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json
            ? JsonSerializer.Deserialize<Effects>(json, Json) ?? new Effects()
            : new Effects();
    }

    // The actions and replies are independent: published at once, each confirmed by the broker.
    private static Task PublishAsync(IPublishEndpoint publisher, Effects effects, CancellationToken cancellationToken) =>
        Task.WhenAll(
            effects.Actions.Select(action => publisher.Publish(action, cancellationToken))
                .Concat(effects.Replies.Select(reply => publisher.Publish(reply, cancellationToken))));
}
