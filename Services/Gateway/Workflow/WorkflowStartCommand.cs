using Atlas.Contracts.Workflow;
using Atlas.Gateway.Commands;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Locales;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Workflow;

/// <summary>
/// <c>/workflow start &lt;process&gt; [key=value ...]</c>: a workflow admin starts a process instance through Workflow,
/// keyed by the Telegram update (a redelivered update starts one instance). Workflow decides who is an admin.
/// </summary>
public sealed class WorkflowStartCommand(BusRequests bus, Replies replies, IOptions<RequestOptions> options, ILogger<WorkflowStartCommand> logger)
{
    public const string CommandName = "workflow";

    public async Task HandleAsync(UpdateContext context, string arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(arguments);
        var words = arguments.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2 || !string.Equals(words[0], "start", StringComparison.OrdinalIgnoreCase))
        {
            GatewayLog.OperatorInputRejected(logger, context.User?.Id ?? 0, CommandName, "not 'start <process>'");
            await SayAsync(context, context.Text(TextKeys.WorkflowUsage), cancellationToken).ConfigureAwait(false);
            return;
        }

        var process = words[1];
        var parsed = OperatorVariables.FromArguments(words[2..]);
        if (parsed.Variables is null)
        {
            GatewayLog.OperatorInputRejected(logger, context.User?.Id ?? 0, CommandName, parsed.ErrorKey!);
            await SayAsync(context, context.Text(parsed.ErrorKey!, parsed.ErrorArguments) + "\n" + context.Text(TextKeys.WorkflowUsage), cancellationToken).ConfigureAwait(false);
            return;
        }

        var request = new StartProcessInstance(context.ChatId ?? 0, context.User?.Id ?? 0, process, parsed.Variables, $"tg:{context.UpdateId}");
        var result = await bus.AskAsync<StartProcessInstance, ProcessStartResult>(context, request, options.Value.TasksTimeout, cancellationToken).ConfigureAwait(false);
        var text = result?.Outcome switch
        {
            null => context.Text(TextKeys.ServiceUnavailable),
            WorkflowOutcome.NotAllowed => context.Text(TextKeys.WorkflowNotAdmin),
            WorkflowOutcome.Applied or WorkflowOutcome.AlreadyApplied => context.Text(TextKeys.WorkflowStarted, process, result.ProcessInstanceKey),
            WorkflowOutcome.Parked => context.Text(TextKeys.WorkflowStartParked, process, result.OperationId),
            WorkflowOutcome.NotFound => context.Text(TextKeys.WorkflowUnknownProcess, process, result.Detail),
            _ => context.Text(TextKeys.WorkflowStartRefused, process, result.Detail),
        };
        await SayAsync(context, text, cancellationToken).ConfigureAwait(false);
    }

    private Task<bool> SayAsync(UpdateContext context, string text, CancellationToken cancellationToken) =>
        replies.SendAsync(context, text, cancellationToken, TaskActions.Purpose);
}
