using Atlas.Gateway.Handling;
using Atlas.Gateway.Locales;
using Atlas.Gateway.Outbound;
using Atlas.Gateway.State;
using Atlas.Gateway.Telegram.Api;

namespace Atlas.Gateway.Commands;

/// <summary>
/// <c>/start</c>: the greeting. Behind a closed password gate it asks for the password instead. Works without Redis
/// (then it says that conversation memory is unavailable).
/// </summary>
public sealed class StartCommand(Replies replies, ConversationStore state)
{
    /// <summary>The callback data of the greeting's "what can you do?" button.</summary>
    public const string HelpCallback = "help";

    public Task HandleAsync(UpdateContext context, bool gateOpen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = context.User?.FirstName is { Length: > 0 } first ? first : context.User?.Username ?? "";
        var text = context.Text(gateOpen ? TextKeys.Welcome : TextKeys.WelcomeGate, name);
        if (!state.IsAvailable)
        {
            text += "\n\n" + context.Text(TextKeys.MemoryUnavailable);
        }

        var markup = gateOpen
            ? OutboundKeyboard.Row(new OutboundButton(context.Text(TextKeys.HelpButton), HelpCallback))
            : null;
        return replies.SendAsync(context, text, cancellationToken, markup: markup);
    }
}
