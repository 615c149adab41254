using Atlas.Contracts.Workflow;
using Atlas.Gateway.Commands;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Locales;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Workflow;

/// <summary>
/// <c>/consent</c> (or <c>/consent no</c>): the member's answer to the onboarding's consent request, handed to Workflow
/// (<see cref="GiveConsent"/>, keyed by the Telegram update), which correlates it to the onboarding that waits for it.
/// The member is told whether it arrived, or that nothing waits for an answer.
/// </summary>
public sealed class ConsentCommand(BusRequests bus, Replies replies, IOptions<RequestOptions> options, ILogger<ConsentCommand> logger)
{
    public const string CommandName = "consent";

    private static readonly string[] Yes = ["", "yes", "y", "да", "accept", "ok"];
    private static readonly string[] No = ["no", "n", "нет", "decline"];

    public async Task HandleAsync(UpdateContext context, string arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(arguments);
        var answer = arguments.Trim().ToLowerInvariant();
        bool consent;
        if (Yes.Contains(answer, StringComparer.Ordinal))
        {
            consent = true;
        }
        else if (No.Contains(answer, StringComparer.Ordinal))
        {
            consent = false;
        }
        else
        {
            GatewayLog.OperatorInputRejected(logger, context.User?.Id ?? 0, CommandName, "not yes or no");
            await SayAsync(context, context.Text(TextKeys.ConsentUsage), cancellationToken).ConfigureAwait(false);
            return;
        }

        var request = new GiveConsent(context.ChatId ?? 0, context.User?.Id ?? 0, consent, $"tg:{context.UpdateId}");
        var result = await bus.AskAsync<GiveConsent, ConsentGiven>(context, request, options.Value.TasksTimeout, cancellationToken).ConfigureAwait(false);
        var text = result?.Outcome switch
        {
            WorkflowOutcome.Applied or WorkflowOutcome.AlreadyApplied => context.Text(consent ? TextKeys.ConsentAccepted : TextKeys.ConsentDeclined),
            WorkflowOutcome.NotFound => context.Text(TextKeys.ConsentNothingWaiting),
            WorkflowOutcome.Parked => context.Text(TextKeys.ConsentParked),
            _ => context.Text(TextKeys.ServiceUnavailable),
        };
        await SayAsync(context, text, cancellationToken).ConfigureAwait(false);
    }

    private Task<bool> SayAsync(UpdateContext context, string text, CancellationToken cancellationToken) =>
        replies.SendAsync(context, text, cancellationToken, TaskActions.Purpose);
}
