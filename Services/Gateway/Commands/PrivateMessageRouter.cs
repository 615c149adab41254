using Atlas.Gateway.Handling;
using Atlas.Gateway.Locales;
using Atlas.Gateway.Telegram.Api;

namespace Atlas.Gateway.Commands;

/// <summary>A message in a private chat: a command goes to its command, free text to the chat with the LLM.</summary>
public sealed class PrivateMessageRouter(HandlerRunner runner, Replies replies, StartCommand start, HelpCommand help)
{
    public Task HandleAsync(UpdateContext context, Message message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(message);
        var command = message.Command;
        return command?.Name switch
        {
            "start" => runner.RunAsync("start", context, ct => start.HandleAsync(context, gateOpen: true, ct), cancellationToken),
            "help" => runner.RunAsync("help", context, ct => help.HandleAsync(context, gateOpen: true, ct), cancellationToken),
            null => runner.RunAsync("chat", context, ct => replies.SendAsync(context, context.Text(TextKeys.ServiceUnavailable), ct), cancellationToken),
            _ => runner.RunAsync(
                "unknown_command", context, ct => replies.SendAsync(context, context.Text(TextKeys.UnknownCommand, command.Name), ct), cancellationToken),
        };
    }
}
