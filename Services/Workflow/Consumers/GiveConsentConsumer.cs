using System.Globalization;
using System.Text.Json.Nodes;
using Atlas.Contracts.Workflow;
using Atlas.Workflow.Engine;
using Atlas.Workflow.Operators;
using MassTransit;

namespace Atlas.Workflow.Consumers;

/// <summary>
/// A member's <c>/consent</c>: correlated as the message <c>consent-given</c> (correlation key: the user id, as the
/// onboarding process subscribes) with the variable <c>consent</c>, through the engine path: applied once per
/// Telegram update, parked while Camunda is away. Correlation, unlike publication, says when no onboarding waits.
/// </summary>
internal sealed class GiveConsentConsumer(WorkflowEngine engine) : IConsumer<GiveConsent>
{
    public const string MessageName = "consent-given";

    public async Task Consume(ConsumeContext<GiveConsent> context)
    {
        var request = context.Message;
        var operation = new EngineOperation($"consent:{request.RequestId}", OperationKinds.CorrelateMessage, new JsonObject
        {
            ["name"] = MessageName,
            ["correlationKey"] = request.UserId.ToString(CultureInfo.InvariantCulture),
            ["variables"] = new JsonObject { ["consent"] = request.Consent },
        }, request.ChatId);
        var outcome = await engine.ExecuteAsync(operation, context.CancellationToken).ConfigureAwait(false);
        var answer = OperatorOutcomes.From(outcome);
        await context.RespondAsync(new ConsentGiven(request.UserId, request.Consent, answer,
            answer is WorkflowOutcome.Applied or WorkflowOutcome.AlreadyApplied ? null : outcome.Error)).ConfigureAwait(false);
    }
}
