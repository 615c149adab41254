using Atlas.Contracts.Workflow;
using Atlas.Workflow.Engine;
using Atlas.Workflow.Operators;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Atlas.Workflow.Consumers;

/// <summary>
/// The bot's "Resume all" button: every parked operation is tried now, each under its idempotency key, so a
/// redelivered request applies nothing twice. Operators only.
/// </summary>
internal sealed class ResumeAllParkedOperationsConsumer(IOptions<OperatorOptions> operators, WorkflowEngine engine) : IConsumer<ResumeAllParkedOperations>
{
    public async Task Consume(ConsumeContext<ResumeAllParkedOperations> context)
    {
        var request = context.Message;
        if (operators.Value.ByTelegramUser(request.UserId) is null)
        {
            await context.RespondAsync(new ParkedOperationsResumed(false, 0, 0, 0)).ConfigureAwait(false);
            return;
        }

        var counts = await engine.ResumeAllAsync(request.UserId, context.CancellationToken).ConfigureAwait(false);
        await context.RespondAsync(new ParkedOperationsResumed(true, counts.Applied, counts.StillParked, counts.Refused)).ConfigureAwait(false);
    }
}
