using Atlas.Contracts.Moderation;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Telegram.Client;
using Atlas.Gateway.Telegram.Resilience;
using MassTransit;
using Npgsql;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Atlas.Gateway.Moderation;

/// <summary>
/// Carries out a <see cref="ModerationActionRequested"/> against Telegram once per <see cref="ModerationActionRequested.ActionId"/>,
/// for the outbound sender, which runs the actions queued in a chat's action lane (<see cref="Outbound.ActionAttempt"/>):
/// the id is recorded in <c>moderation_actions_executed</c> in the same transaction that holds an advisory lock on it,
/// so an action run twice (a re-queued or moved one, a second gateway after a lost claim) reaches Telegram once. The
/// outcome then goes to Moderation as <see cref="ModerationActionExecuted"/>; an action recorded before only publishes
/// its recorded outcome again, so a publish lost in a crash is made up for. A message that is already gone counts as
/// deleted; a refusal Telegram will repeat (no rights, user not found) is recorded as the outcome. Anything that may
/// pass (a flood wait, 5xx, network failure, timeout, 401, a group upgraded to a supergroup, a database or broker
/// failure) records nothing and goes back to the sender, whose schedule is the retry: the call itself is only timed
/// out (<see cref="TelegramRetry.None"/>).
/// </summary>
public sealed class ModerationActionExecutor(
    NpgsqlDataSource dataSource, TelegramResilience telegram, IBus bus, TimeProvider time, ILogger<ModerationActionExecutor> logger)
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Carries out <paramref name="action"/> unless it was already, and reports its recorded outcome to Moderation; returns the outcome.</summary>
    public async Task<string> ExecuteAsync(ModerationActionRequested action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var outcome = await RecordOnceAsync(action, cancellationToken).ConfigureAwait(false);
        // Moderation adds Telegram's outcome to its audit trail; a repeat (after a crash before the action left the queue) is harmless there.
        await bus.Publish(new ModerationActionExecuted(action.ActionId, action.ChatId, outcome, time.GetUtcNow()), cancellationToken)
            .WaitAsync(PublishTimeout, time, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    private async Task<string> RecordOnceAsync(ModerationActionRequested action, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // One round trip: the lock, then the look-up. In a batch each statement takes its own snapshot, so the look-up
        // sees what a holder of the lock committed while this one waited.
        await using (var seen = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtextextended($1::text, 20))") { Parameters = { new() { Value = action.ActionId } } },
                new NpgsqlBatchCommand("SELECT outcome FROM moderation_actions_executed WHERE action_id = $1") { Parameters = { new() { Value = action.ActionId } } },
            },
        })
        {
            await using var reader = await seen.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var before = reader.GetString(0);
                GatewayLog.ModerationAlreadyDone(logger, action.ActionId, action.Action, before);
                return before;
            }
        }

        var outcome = await ExecuteOnTelegramAsync(action, cancellationToken).ConfigureAwait(false);
        await using (var record = new NpgsqlCommand(
            "INSERT INTO moderation_actions_executed (action_id, action, chat_id, user_id, outcome) VALUES ($1, $2, $3, $4, $5)",
            connection, transaction))
        {
            record.Parameters.Add(new NpgsqlParameter { Value = action.ActionId });
            record.Parameters.Add(new NpgsqlParameter { Value = action.Action.ToString() });
            record.Parameters.Add(new NpgsqlParameter { Value = action.ChatId });
            record.Parameters.Add(new NpgsqlParameter { Value = action.UserId });
            record.Parameters.Add(new NpgsqlParameter { Value = outcome });
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        GatewayLog.ModerationExecuted(logger, action.ActionId, action.Action, action.ChatId, outcome);
        return outcome;
    }

    private async Task<string> ExecuteOnTelegramAsync(ModerationActionRequested action, CancellationToken cancellationToken)
    {
        if (action.Action == ModerationAction.DeleteMessage && action.MessageId is null)
        {
            return "invalid: DeleteMessage without a message id";
        }

        try
        {
            await telegram.ExecuteAsync(
                $"moderation {action.Action}", TelegramRetry.None, (client, ct) => CallAsync(client, action, ct), cancellationToken).ConfigureAwait(false);
            return "done";
        }
        catch (Exception exception) when (IsAlreadyGone(action, exception))
        {
            return "done: the message was already gone";
        }
        catch (Exception exception) when (exception.IsRefusal() && exception.MigrateToChatId() is null)
        {
            GatewayLog.ModerationRefused(logger, action.ActionId, action.Action, action.ChatId, exception.Message);
            return $"refused: {exception.Describe()}";
        }
    }

    private static Task CallAsync(ITelegramBotClient client, ModerationActionRequested action, CancellationToken cancellationToken)
    {
        var until = action.Until?.UtcDateTime;
        return action.Action switch
        {
            ModerationAction.DeleteMessage => client.DeleteMessage(action.ChatId, checked((int)action.MessageId!.Value), cancellationToken),
            ModerationAction.Restrict => client.RestrictChatMember(
                action.ChatId, action.UserId, Muted, useIndependentChatPermissions: true, untilDate: until, cancellationToken: cancellationToken),
            ModerationAction.Ban => client.BanChatMember(action.ChatId, action.UserId, until, cancellationToken: cancellationToken),
            ModerationAction.Unban => client.UnbanChatMember(action.ChatId, action.UserId, onlyIfBanned: true, cancellationToken),
            ModerationAction.Kick => KickAsync(client, action, cancellationToken),
            ModerationAction.Unrestrict => client.RestrictChatMember(
                action.ChatId, action.UserId, MemberPermissions.Default, useIndependentChatPermissions: true, cancellationToken: cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action.Action, "Unknown moderation action."),
        };
    }

    // Telegram has no kick: a ban followed by an unban removes the member and lets them rejoin.
    private static async Task KickAsync(ITelegramBotClient client, ModerationActionRequested action, CancellationToken cancellationToken)
    {
        await client.BanChatMember(action.ChatId, action.UserId, cancellationToken: cancellationToken).ConfigureAwait(false);
        await client.UnbanChatMember(action.ChatId, action.UserId, onlyIfBanned: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Read-only: nothing may be sent (a mute).</summary>
    private static ChatPermissions Muted => new()
    {
        CanSendMessages = false, CanSendAudios = false, CanSendDocuments = false, CanSendPhotos = false,
        CanSendVideos = false, CanSendVideoNotes = false, CanSendVoiceNotes = false, CanSendPolls = false,
        CanSendOtherMessages = false, CanAddWebPagePreviews = false,
    };

    private static bool IsAlreadyGone(ModerationActionRequested action, Exception exception) =>
        action.Action == ModerationAction.DeleteMessage && exception.ErrorCode() == 400
        && exception.Message.Contains("message to delete not found", StringComparison.OrdinalIgnoreCase);
}
