using System.Text;
using Atlas.Contracts.Workflow;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Locales;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Commands;

/// <summary><c>/tasks</c>: asks Workflow for the user tasks open for this user and lists them.</summary>
public sealed class TasksCommand(BusRequests bus, Replies replies, IOptions<RequestOptions> options)
{
    public async Task HandleAsync(UpdateContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = new UserTasksRequested(context.ChatId ?? 0, context.User?.Id ?? 0, context.User?.Username);
        var list = await bus.AskAsync<UserTasksRequested, UserTaskList>(context, request, options.Value.TasksTimeout, cancellationToken)
            .ConfigureAwait(false);
        string text;
        if (list is null)
        {
            text = context.Text(TextKeys.ServiceUnavailable);
        }
        else if (list.Tasks.Count == 0)
        {
            text = context.Text(TextKeys.TasksNone);
        }
        else
        {
            var builder = new StringBuilder(context.Text(TextKeys.TasksHeader));
            foreach (var task in list.Tasks)
            {
                builder.Append("\n• ").Append(task.Name).Append(" (").Append(task.ProcessName).Append(", ").Append(task.TaskKey).Append(')');
            }

            text = builder.ToString();
        }

        await replies.SendAsync(context, text, cancellationToken).ConfigureAwait(false);
    }
}
