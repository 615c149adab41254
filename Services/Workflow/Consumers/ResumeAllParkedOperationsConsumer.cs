using Atlas.Contracts.Workflow;
using Atlas.Workflow.Operators;
using MassTransit;

namespace Atlas.Workflow.Consumers;

/// <summary>
/// The bot's "Resume all" button: every parked operation is tried now, each under its idempotency key, so a
/// redelivered request applies nothing twice. Operators only.
/// </summary>
internal sealed class ResumeAllParkedOperationsConsumer(OperatorRequests requests) : IConsumer<ResumeAllParkedOperations>
{
    public async Task Consume(ConsumeContext<ResumeAllParkedOperations> context) =>
        await context.RespondAsync(await requests.ResumeAllAsync(context.Message, context.CancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
}
