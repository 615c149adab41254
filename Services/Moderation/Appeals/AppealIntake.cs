using Atlas.Contracts.Moderation;
using Atlas.Moderation.Decisions;

namespace Atlas.Moderation.Appeals;

/// <summary>
/// Records an appeal a user sent the bot in private against their latest mute or ban (in the chat they named, or the
/// latest anywhere), and tells them its number. A user with nothing to appeal is told so.
/// </summary>
public sealed class AppealIntake(AppealsGauge gauge)
{
    private const int MaxText = 1000;

    public async Task RecordAsync(ModerationSession session, AppealSubmitted appeal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(appeal);
        await using var latest = session.Command(
            """
            SELECT chat_id, action FROM audit_log
            WHERE user_id = $1 AND action IN ('Restrict', 'Ban') AND ($2::bigint IS NULL OR chat_id = $2)
            ORDER BY audit_id DESC LIMIT 1
            """,
            appeal.UserId, (object?)appeal.ChatId ?? DBNull.Value);
        latest.Parameters[1].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint;
        long chatId;
        string action;
        await using (var reader = await latest.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                session.Reply(appeal.UserId, "There is no mute or ban of yours to appeal.");
                return;
            }

            chatId = reader.GetInt64(0);
            action = reader.GetString(1);
        }

        var text = string.IsNullOrWhiteSpace(appeal.Text) ? "(no text)" : appeal.Text.Length > MaxText ? appeal.Text[..MaxText] : appeal.Text;
        await using var insert = session.Command(
            "INSERT INTO appeals (event_key, chat_id, user_id, action, text, submitted_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING appeal_id",
            session.EventKey, chatId, appeal.UserId, action, text, appeal.SubmittedAt);
        var appealId = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        session.Reply(appeal.UserId, $"Your appeal #{appealId} is recorded; the admins of the chat will decide.");
        gauge.Changed();
    }
}
