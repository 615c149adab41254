using Atlas.Contracts.Workflow;
using Atlas.Workflow.Operators;
using MassTransit;

namespace Atlas.Workflow.Consumers;

/// <summary>
/// The bot's Claim / Unclaim / Complete buttons. The operator behind the Telegram user claims under their Camunda
/// user name; the write goes through the engine path (applied once, parked while Camunda is unavailable). Claims and
/// unclaims are keyed by the Telegram update, completions by the task, so a redelivery changes nothing twice.
/// </summary>
internal sealed class ChangeUserTaskConsumer(OperatorRequests requests) : IConsumer<ChangeUserTask>
{
    public async Task Consume(ConsumeContext<ChangeUserTask> context) =>
        await context.RespondAsync(await requests.ChangeUserTaskAsync(context.Message, context.CancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
}
