using Atlas.Gateway.Handling;
using Atlas.Gateway.Locales;
using Atlas.Gateway.State;

namespace Atlas.Gateway.Commands;

/// <summary><c>/reset</c>: forgets the user's conversation state (the next message starts a new LLM conversation).</summary>
public sealed class ResetCommand(ConversationStore state, Replies replies)
{
    public async Task HandleAsync(UpdateContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var done = await state.ResetAsync(context.User?.Id ?? 0, cancellationToken).ConfigureAwait(false);
        await replies.SendAsync(context, context.Text(done ? TextKeys.ResetDone : TextKeys.ResetUnavailable), cancellationToken)
            .ConfigureAwait(false);
    }
}
