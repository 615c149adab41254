using Atlas.Sandbox.Telegram.BotApi;

namespace Atlas.Sandbox.Telegram.Callbacks;

/// <summary>answerCallbackQuery: each callback query sent to the bot may be answered once.</summary>
internal sealed class CallbackMethods : IBotApiMethodSet
{
    private const int MaxTextLength = 200;

    public IEnumerable<BotApiMethod> Methods => [new("answerCallbackQuery", AnswerAsync)];

    private static Task<BotApiResult> AnswerAsync(BotApiCall call, CancellationToken cancellationToken)
    {
        if (call.Text("text") is { Length: > MaxTextLength })
        {
            return Task.FromResult(BotApiResult.BadRequest("MESSAGE_TOO_LONG"));
        }

        var bot = call.Bot;
        lock (bot.Sync)
        {
            return Task.FromResult(bot.OpenCallbackQueries.Remove(call.Text("callback_query_id") ?? "")
                ? BotApiResult.True()
                : BotApiResult.BadRequest("query is too old and response timeout expired or query ID is invalid"));
        }
    }
}
