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
public sealed class ModerationSessions(
    NpgsqlDataSource dataSource, DecisionWriter writer, TimeProvider time, ModerationMetrics metrics, ILogger<ModerationSessions> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

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
    /// Writes the decision of a group message decided before (<see cref="MessageJudge"/>: <paramref name="decide"/> only
    /// writes what was decided; null when it calls for nothing) with the other messages' decisions waiting at the same
    /// time, in one transaction (<see cref="DecisionWriter"/>), and publishes its messages after that commit. When
    /// another delivery of the event decided it already, its stored messages are published instead, so a redelivery
    /// still gives one action and one audit row.
    /// </summary>
    public async Task DecideAsync(
        string eventKey, IPublishEndpoint publisher, Func<ModerationSession, Task>? decide, WarnTarget? warns, long started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        var stage = Stopwatch.GetTimestamp();
        var written = await writer.WriteAsync(eventKey, decide, warns, cancellationToken).ConfigureAwait(false);
        stage = metrics.Stage("write", stage);
        if (written.Repeated)
        {
            ModerationLog.EventAlreadyHandled(logger, eventKey, written.Effects.Actions.Count);
        }

        if (!written.Effects.IsEmpty)
        {
            await PublishAsync(publisher, written.Effects, cancellationToken).ConfigureAwait(false);
            metrics.Stage("publish", stage);
        }

        written.Session?.Published();
        metrics.DecisionTook(Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Records <paramref name="eventKey"/> as handled with nothing to do (with the other decisions waiting, see
    /// <see cref="DecideAsync"/>). When the key is there already (another delivery decided it, maybe differently), that record stands.
    /// </summary>
    public async Task RecordNothingToDoAsync(string eventKey, long started, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(eventKey, null, null, cancellationToken).ConfigureAwait(false);
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

    // The actions, replies, reviews and withdrawals are independent: published at once, each confirmed by the broker.
    private static Task PublishAsync(IPublishEndpoint publisher, Effects effects, CancellationToken cancellationToken) =>
        Task.WhenAll(
            effects.Actions.Select(action => publisher.Publish(action, cancellationToken))
                .Concat(effects.Replies.Select(reply => publisher.Publish(reply, cancellationToken)))
                .Concat(effects.Reviews.Select(review => publisher.Publish(review, cancellationToken)))
                .Concat(effects.Withdrawals.Select(withdrawal => publisher.Publish(withdrawal, cancellationToken))));
}
