using Atlas.Contracts.Moderation;
using Atlas.Moderation.Commands;
using Atlas.Moderation.Rules;
using Atlas.Moderation.Settings;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Atlas.Moderation.Decisions;

/// <summary>
/// Warnings, from admins (<c>/warn</c>) and from rules. Reaching the chat's warn limit clears the member's warnings
/// and takes the configured action (mute or ban, timed or for good). A warning counts for the chat's warning lifetime
/// (<see cref="ChatSettings.WarningLifetime"/>, else <see cref="ModerationOptions.WarningLifetime"/>) from when it was
/// issued; older ones are expired: they no longer count, are not listed by <c>/warns</c>, and stay in the audit log.
/// The lifetime is applied when warnings are read, so changing it applies to warnings already given.
/// </summary>
public sealed class Warnings(IOptions<ModerationOptions> options)
{
    // $3 is the cutoff: warnings issued at or before it have expired (null: none expire).
    private const string Live = "chat_id = $1 AND user_id = $2 AND ($3::timestamptz IS NULL OR issued_at > $3)";
    private const string CountSql = "SELECT count(*) AS warnings_in_force FROM warnings WHERE " + Live;

    /// <summary>How long a warning counts in a chat with <paramref name="settings"/>; null: for good.</summary>
    public TimeSpan? LifetimeIn(ChatSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var lifetime = settings.WarningLifetime ?? options.Value.WarningLifetime;
        return lifetime > TimeSpan.Zero ? lifetime : null;
    }

    public async Task<WarnResult> WarnAsync(
        ModerationSession session, ChatSettings settings, AuditEntry warning, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(warning);
        var reason = string.Join("; ", warning.Reasons);
        // Two warnings of one member decided at once must not both see the limit reached (or both miss it): the member's
        // lock, the new warning and the count go in one round trip.
        var warningId = session.NextId("warning");
        await session.AuditAsync(warning with { Action = "Warn" }, cancellationToken).ConfigureAwait(false);
        var insert = ModerationSession.Statement(
            "INSERT INTO warnings (warning_id, chat_id, user_id, reason, issued_by, issued_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (warning_id) DO NOTHING",
            warningId, warning.ChatId, warning.UserId, reason, IssuerOf(warning.Actor), session.Now);
        var member = (warning.ChatId, warning.UserId);
        long count;
        if (session.WarningCounts is { } counts && counts.TryGetValue(member, out var inForce))
        {
            // In a group write the member is locked and counted already: the warning is queued with the group's writes.
            session.Queue(insert);
            count = counts[member] = inForce + 1;
        }
        else
        {
            await using var warn = session.Batch(
                ModerationSession.Statement("SELECT pg_advisory_xact_lock(hashtextextended($1, 11))", LockKey(warning.ChatId, warning.UserId)),
                insert,
                ModerationSession.Statement(CountSql, warning.ChatId, warning.UserId, CutoffParameter(session, settings)));
            await using var reader = await warn.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            count = await LastCountAsync(reader, cancellationToken).ConfigureAwait(false);
        }

        if (count < settings.WarnLimit)
        {
            return new WarnResult(count, null, null);
        }

        if (session.WarningCounts is { } group && group.ContainsKey(member))
        {
            session.Queue(ModerationSession.Statement("DELETE FROM warnings WHERE chat_id = $1 AND user_id = $2", warning.ChatId, warning.UserId));
            group[member] = 0;
        }
        else
        {
            await ResetAsync(session, settings, warning.ChatId, warning.UserId, cancellationToken).ConfigureAwait(false);
        }

        var action = settings.WarnAction == "ban" ? ModerationAction.Ban : ModerationAction.Restrict;
        var until = settings.WarnActionDuration is { } duration ? session.Now + duration : (DateTimeOffset?)null;
        await session.ActAsync(
            action,
            warning with
            {
                Until = until,
                Rule = RuleNames.WarnLimit,
                Reasons = [$"{count} warnings (limit {settings.WarnLimit})", .. warning.Reasons],
            },
            cancellationToken).ConfigureAwait(false);
        return new WarnResult(count, action, settings.WarnActionDuration);
    }

    // The count is the batch's last result set (the lock's and the insert's come first).
    private static async Task<long> LastCountAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        long count = 0;
        do
        {
            if (reader.FieldCount == 1 && reader.GetName(0) == "warnings_in_force" && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                count = reader.GetInt64(0);
            }
        }
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));

        return count;
    }

    /// <summary>The member's warnings in force, oldest first.</summary>
    public async Task<IReadOnlyList<LiveWarning>> LiveAsync(
        ModerationSession session, ChatSettings settings, long chatId, long userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        await using var command = session.Command($"SELECT reason, issued_at FROM warnings WHERE {Live} ORDER BY issued_at", chatId, userId);
        command.Parameters.Add(CutoffParameter(session, settings));
        var lifetime = LifetimeIn(settings);
        var warnings = new List<LiveWarning>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var issued = reader.GetFieldValue<DateTimeOffset>(1);
            warnings.Add(new LiveWarning(reader.GetString(0), issued, issued + lifetime));
        }

        return warnings;
    }

    /// <summary>Deletes all of the member's warnings (the audit log keeps them); returns how many were still in force.</summary>
    public async Task<long> ResetAsync(ModerationSession session, ChatSettings settings, long chatId, long userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        await using var delete = session.Command(
            """
            WITH removed AS (DELETE FROM warnings WHERE chat_id = $1 AND user_id = $2 RETURNING issued_at)
            SELECT count(*) FROM removed WHERE $3::timestamptz IS NULL OR issued_at > $3
            """,
            chatId, userId);
        delete.Parameters.Add(CutoffParameter(session, settings));
        return (long)(await delete.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
    }

    /// <summary>The key of the advisory lock under which a member's warnings are added and counted.</summary>
    public static string LockKey(long chatId, long userId) => $"warn:{chatId}:{userId}";

    /// <summary>How an escalation reads in the chat: "muted for 1d", "banned for good".</summary>
    public static string Describe(ModerationAction action, TimeSpan? duration) =>
        $"{(action == ModerationAction.Ban ? "banned" : "muted")} {(duration is null ? "for good" : "for " + Durations.Format(duration))}";

    private NpgsqlParameter CutoffParameter(ModerationSession session, ChatSettings settings) => new()
    {
        Value = LifetimeIn(settings) is { } lifetime ? session.Now - lifetime : DBNull.Value,
        NpgsqlDbType = NpgsqlDbType.TimestampTz,
    };

    private static object IssuerOf(string actor) =>
        actor.StartsWith("admin:", StringComparison.Ordinal) && long.TryParse(actor.AsSpan(6), out var id) ? id : DBNull.Value;
}

/// <summary>A warning in force: its reason, when it was issued and when it expires (null: never).</summary>
public sealed record LiveWarning(string Reason, DateTimeOffset IssuedAt, DateTimeOffset? ExpiresAt);

/// <summary>The member's warning count after a warning, and the escalation it caused (if any).</summary>
public sealed record WarnResult(long Count, ModerationAction? Escalation, TimeSpan? EscalationDuration);
