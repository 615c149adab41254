using Atlas.Gateway.Commands;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Locales;
using Atlas.Gateway.Telegram.Api;
using Atlas.Gateway.Telegram.Client;
using Atlas.Gateway.Workflow;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace Atlas.Gateway.Handling;

/// <summary>
/// A press on an inline button: the greeting's help, or a workflow button (task claim / unclaim / complete, resume
/// parked work), whose outcome is both the toast and a reply message. The query is always answered (Telegram shows a spinner until it is), also when the
/// action fails or the button is unknown.
/// </summary>
public sealed class CallbackQueryHandler(
    HandlerRunner runner, HelpCommand help, TaskActions tasks, ParkedWork parked, TelegramBot telegram, ILogger<CallbackQueryHandler> logger)
{
    public async Task HandleAsync(UpdateContext context, CallbackQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(query);
        string? toast = null;
        try
        {
            await runner.RunAsync(
                "callback",
                context,
                async ct =>
                {
                    switch (query.Data)
                    {
                        case StartCommand.HelpCallback:
                            await help.HandleAsync(context, gateOpen: true, ct).ConfigureAwait(false);
                            break;
                        case var data when WorkflowButtons.TryParse(data, out var button):
                            toast = Toast(button.Kind switch
                            {
                                WorkflowButtonKind.Resume => await parked.ResumeAsync(context, button.Argument, ct).ConfigureAwait(false),
                                WorkflowButtonKind.ResumeAll => await parked.ResumeAllAsync(context, ct).ConfigureAwait(false),
                                _ => await tasks.PressAsync(context, button, ct).ConfigureAwait(false),
                            });
                            break;
                        default:
                            toast = context.Text(TextKeys.CallbackUnknown);
                            break;
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await AnswerAsync(context, query, toast, cancellationToken).ConfigureAwait(false);
        }
    }

    // Telegram shows at most 200 characters in the toast; a longer answer is only in the reply message.
    private static string? Toast(string text) => text.Length <= 200 ? text : null;

    /// <summary>Answers <paramref name="query"/> without failing the caller (also used when the update is dropped).</summary>
    public async Task AnswerAsync(UpdateContext context, CallbackQuery query, string? text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(query);
        try
        {
            await telegram.Client().AnswerCallbackQuery(query.Id, text, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RequestException or HttpRequestException or TimeoutException)
        {
            GatewayLog.CallbackNotAnswered(logger, context.UpdateId, exception.GetType().Name);
        }
    }
}
