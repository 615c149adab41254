using Atlas.Contracts.Llm;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Locales;
using Atlas.Gateway.State;
using Atlas.Gateway.Telegram.Api;
using Atlas.Gateway.Telegram.Client;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace Atlas.Gateway.Commands;

/// <summary>
/// Free text in a private chat: asks LlmRouter (<see cref="ChatCompletionRequested"/>) in the user's conversation and
/// sends the answer back, showing "typing…" meanwhile. Without Redis the question goes out as a one-off conversation.
/// </summary>
public sealed class ChatCommand(
    BusRequests bus, Replies replies, ConversationStore state, TelegramBot telegram, TimeProvider time, IOptions<RequestOptions> options)
{
    public async Task HandleAsync(UpdateContext context, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var userId = context.User?.Id ?? 0;
        var chatId = context.ChatId ?? userId;
        var settings = options.Value;
        var (_, conversationId) = await state.GetOrStartConversationAsync(
            userId, context.UpdateId.ToString(context.Culture), cancellationToken).ConfigureAwait(false);
        var request = new ChatCompletionRequested(conversationId, chatId, userId, text, context.User?.LanguageCode);

        ChatCompletionReplied? reply;
        using (var typing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var indicator = KeepTypingAsync(chatId, settings.TypingInterval, typing.Token);
            try
            {
                reply = await bus.AskAsync<ChatCompletionRequested, ChatCompletionReplied>(context, request, settings.ChatTimeout, cancellationToken)
                    .ConfigureAwait(false);
            }
            finally
            {
                await typing.CancelAsync().ConfigureAwait(false);
                await indicator.ConfigureAwait(false);
            }
        }

        var answer = reply is { Text.Length: > 0 } ? reply.Text : context.Text(TextKeys.ServiceUnavailable);
        await replies.SendAsync(context, answer, cancellationToken).ConfigureAwait(false);
    }

    // "typing…" is a courtesy: a failure to show it never fails the chat.
    private async Task KeepTypingAsync(long chatId, TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(interval, time);
            do
            {
                try
                {
                    await telegram.Client().SendChatAction(chatId, ChatAction.Typing, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is RequestException or HttpRequestException or TimeoutException)
                {
                    // Try again on the next tick.
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // The answer arrived (or the handler stopped).
        }
    }
}
