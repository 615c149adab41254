using System.Text;
using Atlas.Contracts.Workflow;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Locales;
using Atlas.Gateway.Outbound;
using Atlas.Gateway.Workflow;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Commands;

/// <summary>
/// <c>/tasks</c>: asks Workflow for the user tasks open for this user and lists them, numbered, with a row of
/// Claim / Unclaim / Complete buttons per task. <c>/tasks parked</c> lists parked work instead (<see cref="ParkedWork"/>).
/// </summary>
public sealed class TasksCommand(BusRequests bus, Replies replies, ParkedWork parked, PendingAnswers answers, IOptions<RequestOptions> options)
{
    public const string ParkedArgument = "parked";

    public async Task HandleAsync(UpdateContext context, string arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.Equals(arguments?.Trim(), ParkedArgument, StringComparison.OrdinalIgnoreCase))
        {
            await parked.ListAsync(context, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Workflow's answer is waited for outside the chat's turn, so the chat's next command does not wait for it.
        var request = new UserTasksRequested(context.ChatId ?? 0, context.User?.Id ?? 0, context.User?.Username);
        await answers.RunAsync(context, "tasks", stopping => ListAsync(context, request, stopping), cancellationToken).ConfigureAwait(false);
    }

    private async Task ListAsync(UpdateContext context, UserTasksRequested request, CancellationToken cancellationToken)
    {
        var list = await bus.AskAsync<UserTasksRequested, UserTaskList>(context, request, options.Value.TasksTimeout, cancellationToken)
            .ConfigureAwait(false);
        if (list is null || list.Tasks.Count == 0)
        {
            await replies.SendAsync(context, context.Text(list is null ? TextKeys.ServiceUnavailable : TextKeys.TasksNone), cancellationToken).ConfigureAwait(false);
            return;
        }

        var text = new StringBuilder(context.Text(TextKeys.TasksHeader));
        var rows = new List<IReadOnlyList<OutboundButton>>();
        for (var i = 0; i < list.Tasks.Count; i++)
        {
            var task = list.Tasks[i];
            var number = i + 1;
            text.Append('\n').Append(number).Append(". ").Append(task.Name).Append(" (").Append(task.ProcessName).Append(", ").Append(task.TaskKey).Append(')');
            if (task.Assignee is { Length: > 0 } assignee)
            {
                text.Append(" – ").Append(context.Text(TextKeys.TaskAssignedTo, assignee));
            }

            var row = new List<OutboundButton>();
            Add(row, context.Text(TextKeys.TaskButtonClaim, number), WorkflowButtons.Claim(task.TaskKey));
            Add(row, context.Text(TextKeys.TaskButtonUnclaim, number), WorkflowButtons.Unclaim(task.TaskKey));
            Add(row, context.Text(TextKeys.TaskButtonComplete, number), WorkflowButtons.Complete(task.TaskKey));
            if (row.Count > 0)
            {
                rows.Add(row);
            }
        }

        await replies.SendAsync(context, text.ToString(), cancellationToken, markup: rows.Count > 0 ? new OutboundKeyboard(rows) : null).ConfigureAwait(false);
    }

    private static void Add(List<OutboundButton> row, string label, string? data)
    {
        if (data is not null)
        {
            row.Add(new OutboundButton(label, data));
        }
    }
}
