using Atlas.Gateway.Handling;
using Atlas.Gateway.Locales;
using Atlas.Gateway.State;

namespace Atlas.Gateway.Commands;

/// <summary><c>/help</c>: what the bot can do. Works without Redis (then it says that conversation memory is unavailable).</summary>
public sealed class HelpCommand(Replies replies, ConversationStore state)
{
    public Task HandleAsync(UpdateContext context, bool gateOpen, CancellationToken cancellationToken, string purpose = Replies.Reply)
    {
        ArgumentNullException.ThrowIfNull(context);
        var text = context.Text(TextKeys.Help);
        if (!gateOpen)
        {
            text += "\n\n" + context.Text(TextKeys.HelpGateNote);
        }

        if (!state.IsAvailable)
        {
            text += "\n\n" + context.Text(TextKeys.MemoryUnavailable);
        }

        return replies.SendAsync(context, text, cancellationToken, purpose);
    }
}
