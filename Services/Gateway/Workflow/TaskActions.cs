using Atlas.Contracts.Workflow;
using Atlas.Gateway.Commands;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Locales;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Workflow;

/// <summary>
/// The Claim / Unclaim / Complete buttons under <c>/tasks</c> and the completion form. Claim and unclaim go to
/// Workflow at once; Complete opens a form (in Redis) whose answer, <c>key=value</c> lines in reply to the prompt, is
/// checked here and then sent. Every outcome is told to the operator in their language.
/// </summary>
public sealed class TaskActions(BusRequests bus, Replies replies, TaskForms forms, IOptions<RequestOptions> options, ILogger<TaskActions> logger)
{
    /// <summary>The reply purpose of workflow answers (one per update).</summary>
    public const string Purpose = "workflow";

    /// <summary>Handles a task button; returns the text it replied with (for the callback's toast).</summary>
    public async Task<string> PressAsync(UpdateContext context, WorkflowButton button, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var userId = context.User?.Id ?? 0;
        string text;
        if (button.Kind == WorkflowButtonKind.Complete)
        {
            text = await forms.OpenAsync(userId, button.Argument, cancellationToken).ConfigureAwait(false)
                ? context.Text(TextKeys.TaskFormPrompt, button.Argument, (int)forms.Ttl.TotalMinutes)
                : context.Text(TextKeys.TaskFormUnavailable);
        }
        else
        {
            var change = button.Kind == WorkflowButtonKind.Claim ? UserTaskChange.Claim : UserTaskChange.Unclaim;
            text = Describe(context, button.Argument, change, await AskAsync(context, button.Argument, change, null, cancellationToken).ConfigureAwait(false));
        }

        await replies.SendAsync(context, text, cancellationToken, Purpose).ConfigureAwait(false);
        return text;
    }

    /// <summary>The operator's answer to the completion form for <paramref name="taskKey"/>.</summary>
    public async Task AnswerFormAsync(UpdateContext context, string taskKey, string answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var userId = context.User?.Id ?? 0;
        var parsed = OperatorVariables.FromLines(answer);
        if (parsed.Variables is null)
        {
            GatewayLog.OperatorInputRejected(logger, userId, "task-form", parsed.ErrorKey!);
            var problem = context.Text(parsed.ErrorKey!, parsed.ErrorArguments) + " " + context.Text(TextKeys.TaskFormRetry);
            await replies.SendAsync(context, problem, cancellationToken, Purpose).ConfigureAwait(false);
            return;
        }

        var changed = await AskAsync(context, taskKey, UserTaskChange.Complete, parsed.Variables, cancellationToken).ConfigureAwait(false);
        if (changed?.Outcome == WorkflowOutcome.Invalid)
        {
            // The values do not fit the task's form: nothing was sent, the form stays open for a corrected reply.
            GatewayLog.OperatorInputRejected(logger, userId, "task-form", "workflow form");
            var problem = context.Text(TextKeys.TaskFormInvalid, taskKey, changed.Detail) + " " + context.Text(TextKeys.TaskFormRetry);
            await replies.SendAsync(context, problem, cancellationToken, Purpose).ConfigureAwait(false);
            return;
        }

        if (changed is not null)
        {
            // Workflow has the answer (applied, parked or refused for good): the form is done.
            await forms.CloseAsync(userId, taskKey, cancellationToken).ConfigureAwait(false);
        }

        await replies.SendAsync(context, Describe(context, taskKey, UserTaskChange.Complete, changed), cancellationToken, Purpose).ConfigureAwait(false);
    }

    private Task<UserTaskChanged?> AskAsync(
        UpdateContext context, string taskKey, UserTaskChange change, IReadOnlyDictionary<string, string>? variables, CancellationToken cancellationToken)
    {
        var request = new ChangeUserTask(context.ChatId ?? 0, context.User?.Id ?? 0, taskKey, change, $"tg:{context.UpdateId}", variables);
        return bus.AskAsync<ChangeUserTask, UserTaskChanged>(context, request, options.Value.TasksTimeout, cancellationToken);
    }

    private static string Describe(UpdateContext context, string taskKey, UserTaskChange change, UserTaskChanged? answer) => answer?.Outcome switch
    {
        null => context.Text(TextKeys.ServiceUnavailable),
        WorkflowOutcome.NotAllowed => context.Text(TextKeys.WorkflowNotOperator),
        WorkflowOutcome.Applied => context.Text(
            change switch
            {
                UserTaskChange.Claim => TextKeys.TaskClaimed,
                UserTaskChange.Unclaim => TextKeys.TaskUnclaimed,
                _ => TextKeys.TaskCompleted,
            },
            taskKey),
        WorkflowOutcome.AlreadyApplied => context.Text(TextKeys.TaskAlreadyDone, taskKey),
        WorkflowOutcome.Parked => context.Text(TextKeys.WorkParked, answer.OperationId),
        WorkflowOutcome.NotFound => context.Text(TextKeys.TaskNotFound, taskKey),
        _ => context.Text(TextKeys.TaskRefused, taskKey, answer.Detail),
    };
}
