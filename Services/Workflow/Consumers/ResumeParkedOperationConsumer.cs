using Atlas.Contracts.Workflow;
using Atlas.Workflow.Operators;
using MassTransit;

namespace Atlas.Workflow.Consumers;

/// <summary>
/// <c>/resume</c>: an operator resumes parked work. The operation's idempotency key guards it, so a redelivered
/// request answers "already applied" instead of applying twice.
/// </summary>
internal sealed class ResumeParkedOperationConsumer(OperatorRequests requests) : IConsumer<ResumeParkedOperation>
{
    public async Task Consume(ConsumeContext<ResumeParkedOperation> context) =>
        await context.RespondAsync(await requests.ResumeAsync(context.Message, context.CancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
}
