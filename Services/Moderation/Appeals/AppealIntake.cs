using Atlas.Contracts.Moderation;
using Atlas.Contracts.Workflow;
using Atlas.Moderation.Decisions;
using Atlas.Moderation.Rules;

namespace Atlas.Moderation.Appeals;

/// <summary>
/// Records an appeal a user sent the bot in private against their latest mute or ban (in the chat they named, or the
/// latest anywhere), tells them its number, and hands it to Workflow's appeal review (<see cref="StartAppealReview"/>,
/// published with the event's other effects once it is recorded). A user with nothing to appeal is told so; one whose
/// appeal in that chat is still open gets that appeal's number, with anything new they wrote added to it, so a second
/// <c>/appeal</c> never files a second appeal for the admins.
/// </summary>
public sealed class AppealIntake(AppealsGauge gauge)
{
    private const int MaxText = 1000;
    private const string NoText = "(no text)";

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

        // Two appeals of one member in one chat (two /appeal sent at once) are decided side by side, each in its own
        // transaction: the member's appeal lock makes the second wait until the first has committed, so it finds the
        // appeal the first filed instead of filing another. The lock ends with the transaction.
        await using (var serialise = session.Command(
            "SELECT pg_advisory_xact_lock(hashtextextended('open appeal:' || $1::text || ':' || $2::text, 7))", chatId, appeal.UserId))
        {
            await serialise.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var given = string.IsNullOrWhiteSpace(appeal.Text) ? null : appeal.Text.Trim();
        long? openId = null;
        var before = "";
        await using (var open = session.Command(
            "SELECT appeal_id, text FROM appeals WHERE chat_id = $1 AND user_id = $2 AND status = 'open' ORDER BY appeal_id DESC LIMIT 1",
            chatId, appeal.UserId))
        await using (var reader = await open.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                openId = reader.GetInt64(0);
                before = reader.GetString(1);
            }
        }

        if (openId is { } existing)
        {
            if (given is not null)
            {
                var combined = before == NoText ? given : $"{before}\n{given}";
                await using var update = session.Command(
                    "UPDATE appeals SET text = $2 WHERE appeal_id = $1", existing, combined.Length > MaxText ? combined[..MaxText] : combined);
                await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            session.Reply(appeal.UserId, given is null
                ? $"Your appeal #{existing} is still open; the admins of the chat will decide."
                : $"Your appeal #{existing} is still open; I added what you wrote to it. The admins of the chat will decide.");
            return;
        }

        var text = given is null ? NoText : given.Length > MaxText ? given[..MaxText] : given;
        var reviewId = StableIds.For(session.EventKey, "review");
        await using var insert = session.Command(
            "INSERT INTO appeals (event_key, chat_id, user_id, action, text, submitted_at, review_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING appeal_id",
            session.EventKey, chatId, appeal.UserId, action, text, appeal.SubmittedAt, reviewId);
        var appealId = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        session.Reply(appeal.UserId, $"Your appeal #{appealId} is recorded; the admins of the chat will decide.");
        session.Effects.Reviews.Add(new StartAppealReview(reviewId, chatId, appeal.UserId, null, text, action, appeal.SubmittedAt));
        gauge.Changed();
    }

    /// <summary>
    /// Closes the appeal Workflow's review decided (accepted on <c>lift</c>, rejected on <c>uphold</c>) with an audit row
    /// naming the review; the lift itself and the member's notice came from Workflow. An appeal already settled by an
    /// admin's <c>/resolve</c> stays as the admin left it.
    /// </summary>
    public async Task CloseReviewedAsync(ModerationSession session, AppealReviewed review, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(review);
        var accepted = review.Decision == AppealReviewed.Lift;
        await using var update = session.Command(
            """
            UPDATE appeals SET status = $2, resolved_at = $3
            WHERE review_id = $1 AND status = 'open' RETURNING appeal_id, chat_id, user_id
            """,
            review.AppealId, accepted ? "accepted" : "rejected", review.ReviewedAt);
        long appealId, chatId, userId;
        await using (var reader = await update.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            (appealId, chatId, userId) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }

        var lifted = review.LiftActionId is { } id ? $" (lifted as action {id})" : "";
        await session.AuditAsync(
            new AuditEntry(accepted ? "AppealAccepted" : "AppealRejected", chatId, userId, null, null, RuleNames.Appeal, "workflow",
                [$"appeal #{appealId} {(accepted ? "accepted" : "rejected")} by Workflow's review{lifted}"], null),
            cancellationToken).ConfigureAwait(false);
        gauge.Changed();
    }
}
