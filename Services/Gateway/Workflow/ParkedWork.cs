using System.Globalization;
using System.Text;
using Atlas.Contracts.Workflow;
using Atlas.Gateway.Commands;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Locales;
using Atlas.Gateway.Outbound;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Workflow;

/// <summary>
/// Parked Camunda work for operators: <c>/tasks parked</c> lists it (id, kind, attempts, age, last error) with a Resume
/// button each and Resume all; <c>/resume &lt;id&gt;</c> and the buttons ask Workflow to apply it now. Workflow decides
/// who is an operator; everyone else gets a polite refusal.
/// </summary>
public sealed class ParkedWork(BusRequests bus, Replies replies, IOptions<RequestOptions> options, TimeProvider time)
{
    private const int ErrorShown = 120;

    public async Task ListAsync(UpdateContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var list = await bus.AskAsync<ParkedOperationsRequested, ParkedOperationList>(
            context, new ParkedOperationsRequested(context.ChatId ?? 0, context.User?.Id ?? 0), options.Value.TasksTimeout, cancellationToken).ConfigureAwait(false);
        if (list is null || !list.Allowed || list.Operations.Count == 0)
        {
            var key = list is null ? TextKeys.ServiceUnavailable : !list.Allowed ? TextKeys.WorkflowNotOperator : TextKeys.ParkedNone;
            await replies.SendAsync(context, context.Text(key), cancellationToken).ConfigureAwait(false);
            return;
        }

        var text = new StringBuilder(context.Text(TextKeys.ParkedHeader));
        var rows = new List<IReadOnlyList<OutboundButton>>();
        var now = time.GetUtcNow();
        for (var i = 0; i < list.Operations.Count; i++)
        {
            var operation = list.Operations[i];
            var error = operation.LastError is { Length: > ErrorShown } lastError ? lastError[..ErrorShown] + "…" : operation.LastError ?? "-";
            text.Append('\n').Append(context.Text(TextKeys.ParkedLine, i + 1, operation.OperationId, operation.Kind, operation.Attempts, Age(now - operation.ParkedAt), error));
            if (WorkflowButtons.Resume(operation.OperationId) is { } data)
            {
                rows.Add([new OutboundButton(context.Text(TextKeys.ParkedButtonResume, i + 1), data)]);
            }
        }

        rows.Add([new OutboundButton(context.Text(TextKeys.ParkedButtonResumeAll), WorkflowButtons.ResumeAll)]);
        await replies.SendAsync(context, text.ToString(), cancellationToken, markup: new OutboundKeyboard(rows)).ConfigureAwait(false);
    }

    /// <summary><c>/resume &lt;id&gt;</c> or a Resume button; returns the text it replied with.</summary>
    public async Task<string> ResumeAsync(UpdateContext context, string operationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        operationId = operationId.Trim();
        string text;
        if (operationId.Length == 0)
        {
            text = context.Text(TextKeys.ResumeUsage);
        }
        else
        {
            var answer = await bus.AskAsync<ResumeParkedOperation, ParkedOperationResumed>(
                context, new ResumeParkedOperation(operationId, context.ChatId ?? 0, context.User?.Id ?? 0), options.Value.TasksTimeout, cancellationToken).ConfigureAwait(false);
            text = answer?.Outcome switch
            {
                null => context.Text(TextKeys.ServiceUnavailable),
                WorkflowOutcome.NotAllowed => context.Text(TextKeys.WorkflowNotOperator),
                WorkflowOutcome.Applied => context.Text(TextKeys.ParkedResumed, operationId),
                WorkflowOutcome.AlreadyApplied => context.Text(TextKeys.ParkedAlreadyApplied, operationId),
                WorkflowOutcome.Parked => context.Text(TextKeys.ParkedStillWaiting, operationId, answer.Detail),
                WorkflowOutcome.NotFound => context.Text(TextKeys.ParkedNotFound, operationId),
                _ => context.Text(TextKeys.ParkedRefused, operationId, answer.Detail),
            };
        }

        await replies.SendAsync(context, text, cancellationToken, TaskActions.Purpose).ConfigureAwait(false);
        return text;
    }

    /// <summary>The Resume all button; returns the text it replied with.</summary>
    public async Task<string> ResumeAllAsync(UpdateContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var answer = await bus.AskAsync<ResumeAllParkedOperations, ParkedOperationsResumed>(
            context, new ResumeAllParkedOperations(context.ChatId ?? 0, context.User?.Id ?? 0), options.Value.TasksTimeout, cancellationToken).ConfigureAwait(false);
        var text = answer switch
        {
            null => context.Text(TextKeys.ServiceUnavailable),
            { Allowed: false } => context.Text(TextKeys.WorkflowNotOperator),
            _ => context.Text(TextKeys.ParkedAllResumed, answer.Applied, answer.StillParked, answer.Refused),
        };
        await replies.SendAsync(context, text, cancellationToken, TaskActions.Purpose).ConfigureAwait(false);
        return text;
    }

    private static string Age(TimeSpan age)
    {
        age = age < TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Floor(age.TotalSeconds));
        return age.ToString(age.Days > 0 ? @"d\.hh\:mm\:ss" : @"hh\:mm\:ss", CultureInfo.InvariantCulture);
    }
}
