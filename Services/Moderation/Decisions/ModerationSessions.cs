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
            await using (var lockEvent = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))", connection, transaction))
            {
                lockEvent.Parameters.Add(new NpgsqlParameter { Value = eventKey });
                await lockEvent.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (await StoredEffectsAsync(eventKey, transaction, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                ModerationLog.EventAlreadyHandled(logger, eventKey, stored.Actions.Count);
                await PublishAsync(publisher, stored, cancellationToken).ConfigureAwait(false);
                return;
            }

            session = new ModerationSession(eventKey, transaction, time, metrics, logger);
            await decide(session).ConfigureAwait(false);
            await using (var record = new NpgsqlCommand(
                "INSERT INTO processed_events (event_key, effects, processed_at) VALUES ($1, $2::jsonb, $3)", connection, transaction))
            {
                record.Parameters.Add(new NpgsqlParameter { Value = eventKey });
                record.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(session.Effects, Json) });
                record.Parameters.Add(new NpgsqlParameter { Value = session.Now });
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        await PublishAsync(publisher, session.Effects, cancellationToken).ConfigureAwait(false);
        session.Published();
        metrics.DecisionTook(Stopwatch.GetElapsedTime(started.Value));
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

    private static async Task<Effects?> StoredEffectsAsync(string eventKey, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT effects::text FROM processed_events WHERE event_key = $1", transaction.Connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = eventKey });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json
            ? JsonSerializer.Deserialize<Effects>(json, Json) ?? new Effects()
            : null;
    }

    private static async Task PublishAsync(IPublishEndpoint publisher, Effects effects, CancellationToken cancellationToken)
    {
        foreach (var action in effects.Actions)
        {
            await publisher.Publish(action, cancellationToken).ConfigureAwait(false);
        }

        foreach (var reply in effects.Replies)
        {
            await publisher.Publish(reply, cancellationToken).ConfigureAwait(false);
        }
    }
}
