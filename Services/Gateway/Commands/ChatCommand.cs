using Atlas.Contracts.Llm;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Locales;
using Atlas.Gateway.Outbound;
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
/// sends the answer back, showing "typing…" meanwhile; the model's Markdown is shown as Telegram formatting
/// (<see cref="TelegramHtml.FromMarkdown"/>). The question leaves the chat's turn at once
/// (<see cref="PendingAnswers"/>), so commands typed while the model thinks are answered straight away; answers of the
/// conversation still arrive in the order they were asked. Past <see cref="RequestOptions.AnswerDeadline"/> the user is
/// told politely that it is taking too long; an answer that still comes within <see cref="RequestOptions.ChatTimeout"/>
/// is delivered, marked as late. Without Redis the question goes out as a one-off conversation.
/// </summary>
public sealed class ChatCommand(
    BusRequests bus, Replies replies, ConversationStore state, TelegramBot telegram, PendingAnswers answers, TimeProvider time,
    IOptions<RequestOptions> options, ILogger<ChatCommand> logger)
{
    public const string LatePurpose = "late-answer";
    public const string DeadlinePurpose = "answer-deadline";

    public async Task HandleAsync(UpdateContext context, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var userId = context.User?.Id ?? 0;
        var chatId = context.ChatId ?? userId;
        var (_, conversationId) = await state.GetOrStartConversationAsync(
            userId, context.UpdateId.ToString(context.Culture), cancellationToken).ConfigureAwait(false);
        var request = new ChatCompletionRequested(conversationId, chatId, userId, text, context.User?.LanguageCode);
        var ticket = answers.Ordered(chatId);
        try
        {
            await answers.RunAsync(context, "chat", async stopping =>
            {
                using (ticket)
                {
                    await AnswerAsync(context, chatId, request, ticket, stopping).ConfigureAwait(false);
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Never started: the chat's later answers must not wait for this one.
            ticket.Dispose();
            throw;
        }
    }

    private async Task AnswerAsync(UpdateContext context, long chatId, ChatCompletionRequested request, AnswerTicket ticket, CancellationToken stopping)
    {
        var settings = options.Value;
        var asking = bus.AskAsync<ChatCompletionRequested, ChatCompletionReplied>(context, request, settings.ChatTimeout, stopping);
        using (var typing = CancellationTokenSource.CreateLinkedTokenSource(stopping))
        {
            var indicator = KeepTypingAsync(chatId, settings.TypingInterval, typing.Token, stopping);
            try
            {
                await ((Task)asking).WaitAsync(settings.AnswerDeadline, time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            finally
            {
                await typing.CancelAsync().ConfigureAwait(false);
                await indicator.ConfigureAwait(false);
            }
        }

        await ticket.TurnAsync(stopping).ConfigureAwait(false);
        if (asking.IsCompleted)
        {
            var reply = await asking.ConfigureAwait(false);
            await (reply is { Text.Length: > 0 }
                ? replies.SendAsync(context, TelegramHtml.FromMarkdown(reply.Text), stopping, parseMode: TelegramHtml.ParseMode)
                : replies.SendAsync(context, context.Text(TextKeys.ServiceUnavailable), stopping)).ConfigureAwait(false);
            return;
        }

        // Not too slow: this gateway is stopping. The answer stays owed, and whoever takes it over tells the user once,
        // under the answer's own key; a "taking too long" here as well would be a second apology.
        stopping.ThrowIfCancellationRequested();

        // Too slow for the user: say so now (the chat's next answers may go), and deliver the answer if it still comes.
        GatewayLog.AnswerLate(logger, context.UpdateId, settings.AnswerDeadline);
        await replies.SendAsync(context, context.Text(TextKeys.ServiceUnavailable), stopping, DeadlinePurpose).ConfigureAwait(false);
        await answers.ToldAsync(context.UpdateId).ConfigureAwait(false);
        ticket.Delivered();
        if (await asking.ConfigureAwait(false) is { Text.Length: > 0 } late && late.Provider != "apology")
        {
            var text = string.Format(context.Culture, TelegramHtml.Escape(context.Text(TextKeys.LateAnswer)), TelegramHtml.FromMarkdown(late.Text));
            await replies.SendAsync(context, text, stopping, LatePurpose, parseMode: TelegramHtml.ParseMode).ConfigureAwait(false);
        }
    }

    // "typing…" is a courtesy: a failure to show it never fails the chat.
    private async Task KeepTypingAsync(long chatId, TimeSpan interval, CancellationToken cancellationToken, CancellationToken stopping)
    {
        try
        {
            using var timer = new PeriodicTimer(interval, time);

            // The first "typing…" is not cut off by a fast answer: the answer waits for it, so the indicator never
            // arrives after the answer (Telegram would then show "typing…" for 5 s under a finished reply).
            var first = true;
            do
            {
                try
                {
                    await telegram.Client().SendChatAction(chatId, ChatAction.Typing, cancellationToken: first ? stopping : cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is RequestException or HttpRequestException or TimeoutException)
                {
                    // Try again on the next tick.
                }

                first = false;
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // The answer arrived (or the handler stopped).
        }
    }
}
