using Atlas.Contracts.Moderation;
using Atlas.Moderation.Diagnostics;
using MassTransit;
using Npgsql;

namespace Atlas.Moderation.Consumers;

/// <summary>Telegram's outcome of an action joins the audit trail (in <c>action_outcomes</c>; the first report stands).</summary>
public sealed class ModerationActionExecutedConsumer(NpgsqlDataSource dataSource, ILogger<ModerationActionExecutedConsumer> logger)
    : IConsumer<ModerationActionExecuted>
{
    public async Task Consume(ConsumeContext<ModerationActionExecuted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var executed = context.Message;
        await using var command = dataSource.CreateCommand(
            "INSERT INTO action_outcomes (action_id, outcome, executed_at) VALUES ($1, $2, $3) ON CONFLICT (action_id) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter { Value = executed.ActionId });
        command.Parameters.Add(new NpgsqlParameter { Value = executed.Outcome });
        command.Parameters.Add(new NpgsqlParameter { Value = executed.ExecutedAt });
        if (await command.ExecuteNonQueryAsync(context.CancellationToken).ConfigureAwait(false) > 0)
        {
            ModerationLog.ActionOutcome(logger, executed.ActionId, executed.ChatId, executed.Outcome);
        }
    }
}
