using Atlas.Contracts.Workflow;
using Atlas.Workflow.Operators;
using Atlas.Workflow.Parked;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Atlas.Workflow.Consumers;

/// <summary><c>/tasks parked</c>: the parked work, oldest first, for operators only. Read-only, so redelivery is harmless.</summary>
internal sealed class ParkedOperationsRequestedConsumer(IOptions<OperatorOptions> operators, ParkedStore store) : IConsumer<ParkedOperationsRequested>
{
    /// <summary>How many operations one bot message lists.</summary>
    public const int Limit = 20;

    public async Task Consume(ConsumeContext<ParkedOperationsRequested> context)
    {
        if (operators.Value.ByTelegramUser(context.Message.UserId) is null)
        {
            await context.RespondAsync(new ParkedOperationList(false, [])).ConfigureAwait(false);
            return;
        }

        var parked = await store.ListAsync("parked", Limit, context.CancellationToken).ConfigureAwait(false);
        await context.RespondAsync(new ParkedOperationList(true,
            [.. parked.Select(p => new ParkedOperationSummary(p.OperationId, p.Kind, p.Attempts, p.LastError, p.ParkedAt))])).ConfigureAwait(false);
    }
}
