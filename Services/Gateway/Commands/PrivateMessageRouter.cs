using Atlas.Gateway.Admin;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Locales;
using Atlas.Gateway.Moderation;
using Atlas.Gateway.PasswordGate;
using Atlas.Gateway.Telegram.Api;
using Atlas.Gateway.Workflow;

namespace Atlas.Gateway.Commands;

/// <summary>
/// A message in a private chat. Admin commands first (for admins), then <c>/appeal</c> (to Moderation), then the password gate (a closed gate answers
/// /start and /help, asks for the password on other commands and takes free text as the password), then a reply
/// that answers an open workflow completion form, then the commands; free text goes to the LLM chat and anything
/// that is not text gets a polite note.
/// </summary>
public sealed class PrivateMessageRouter(
    HandlerRunner runner,
    Replies replies,
    AdminOptions admins,
    AdminCommands adminCommands,
    PasswordGatekeeper gate,
    CommandSet commands,
    AppealForwarder appeals)
{
    public async Task HandleAsync(UpdateContext context, Message message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(message);
        var command = message.Command;
        var userId = context.User?.Id ?? message.Chat.Id;
        if (command is not null && AdminCommands.Handles(command.Name) && admins.IsAdmin(userId))
        {
            await runner.RunAsync("admin", context, ct => adminCommands.HandleAsync(context, command, ct), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (command?.Name == AppealForwarder.CommandName)
        {
            await runner.RunAsync("appeal", context, ct => appeals.ForwardAsync(context, command, ct), cancellationToken).ConfigureAwait(false);
            return;
        }

        // Null: the gate could not be checked (PostgreSQL down); /start and /help still answer, the rest waits.
        var gateState = await gate.IsOpenForAsync(userId, cancellationToken).ConfigureAwait(false);
        var gateOpen = gateState == true;
        if (gateOpen && command is null && message.ReplyToMessage is not null && message.Text is { Length: > 0 } answer
            && await commands.Forms.PendingAsync(userId, cancellationToken).ConfigureAwait(false) is { } formTask)
        {
            await runner.RunAsync("task_form", context, ct => commands.TaskActions.AnswerFormAsync(context, formTask, answer, ct), cancellationToken).ConfigureAwait(false);
            return;
        }

        await (command?.Name switch
        {
            "start" => runner.RunAsync("start", context, ct => commands.Start.HandleAsync(context, gateOpen, ct), cancellationToken),
            "help" => runner.RunAsync("help", context, ct => commands.Help.HandleAsync(context, gateOpen, ct), cancellationToken),
            _ when gateState is null => runner.RunAsync("password_gate", context, ct => Say(context, TextKeys.ServiceUnavailable, ct), cancellationToken),
            _ when !gateOpen => HandleClosedGateAsync(context, message, command, cancellationToken),
            "groups" => runner.RunAsync("groups", context, ct => commands.Groups.HandleAsync(context, ct), cancellationToken),
            "reset" => runner.RunAsync("reset", context, ct => commands.Reset.HandleAsync(context, ct), cancellationToken),
            "search" => runner.RunAsync("search", context, ct => commands.Search.HandleAsync(context, command.Arguments, ct), cancellationToken),
            "tasks" => runner.RunAsync("tasks", context, ct => commands.Tasks.HandleAsync(context, command.Arguments, ct), cancellationToken),
            "resume" => runner.RunAsync("resume", context, ct => commands.Parked.ResumeAsync(context, command.Arguments, ct), cancellationToken),
            WorkflowStartCommand.CommandName => runner.RunAsync("workflow", context, ct => commands.Workflow.HandleAsync(context, command.Arguments, ct), cancellationToken),
            ConsentCommand.CommandName => runner.RunAsync("consent", context, ct => commands.Consent.HandleAsync(context, command.Arguments, ct), cancellationToken),
            null when string.IsNullOrWhiteSpace(message.Text) => runner.RunAsync("non_text", context, ct => Say(context, TextKeys.NonText, ct), cancellationToken),
            null => runner.RunAsync("chat", context, ct => commands.Chat.HandleAsync(context, message.Text!, ct), cancellationToken),
            _ => runner.RunAsync("unknown_command", context, ct => Say(context, TextKeys.UnknownCommand, ct, command.Name), cancellationToken),
        }).ConfigureAwait(false);
    }

    private Task HandleClosedGateAsync(UpdateContext context, Message message, BotCommandText? command, CancellationToken cancellationToken) =>
        command is null && !string.IsNullOrWhiteSpace(message.Text)
            ? runner.RunAsync("password", context, ct => gate.HandleAttemptAsync(context, message, ct), cancellationToken)
            : runner.RunAsync("password_required", context, ct => Say(context, TextKeys.PasswordRequired, ct), cancellationToken);

    private Task<bool> Say(UpdateContext context, string key, CancellationToken cancellationToken, params object?[] arguments) =>
        replies.SendAsync(context, context.Text(key, arguments), cancellationToken);
}

/// <summary>The user commands, as one bundle for <see cref="PrivateMessageRouter"/>.</summary>
public sealed record CommandSet(
    StartCommand Start, HelpCommand Help, GroupsCommand Groups, ResetCommand Reset, SearchCommand Search, TasksCommand Tasks, ChatCommand Chat,
    ParkedWork Parked, WorkflowStartCommand Workflow, ConsentCommand Consent, TaskActions TaskActions, TaskForms Forms);
