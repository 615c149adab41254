using System.Text;
using Atlas.Contracts.Llm;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Locales;
using Atlas.Gateway.Outbound;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Commands;

/// <summary>
/// <c>/search &lt;text&gt;</c>: asks LlmRouter's knowledge base and lists the best hits. The search runs outside the
/// chat's turn (<see cref="PendingAnswers"/>), so the chat's next command does not wait for it.
/// </summary>
public sealed class SearchCommand(BusRequests bus, Replies replies, PendingAnswers answers, IOptions<RequestOptions> options)
{
    public async Task HandleAsync(UpdateContext context, string query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(query))
        {
            await replies.SendAsync(context, context.Text(TextKeys.SearchUsage), cancellationToken).ConfigureAwait(false);
            return;
        }

        var settings = options.Value;
        var request = new KnowledgeSearchRequested(context.ChatId ?? 0, context.User?.Id ?? 0, query.Trim(), settings.SearchLimit);
        await answers.RunAsync(context, "search", async stopping =>
        {
            var results = await bus.AskAsync<KnowledgeSearchRequested, KnowledgeSearchResults>(
                context, request, settings.SearchTimeout, stopping).ConfigureAwait(false);
            await replies.SendAsync(context, Describe(context, request.Query, results), stopping, parseMode: TelegramHtml.ParseMode).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    // Telegram HTML: the knowledge base marks the matched words in a snippet with ** (both backends), which Telegram
    // would show as asterisks in plain text; they become bold, and everything from the user or the documents is escaped.
    private static string Describe(UpdateContext context, string query, KnowledgeSearchResults? results)
    {
        if (results is null)
        {
            return TelegramHtml.Escape(context.Text(TextKeys.ServiceUnavailable));
        }

        if (results.Hits.Count == 0)
        {
            return TelegramHtml.Escape(context.Text(TextKeys.SearchNoHits, query));
        }

        var text = new StringBuilder(TelegramHtml.Escape(context.Text(TextKeys.SearchHeader, query)));
        var number = 0;
        foreach (var hit in results.Hits)
        {
            text.Append('\n').Append(++number).Append(". ").Append(TelegramHtml.Escape(hit.Title));
            if (!string.IsNullOrWhiteSpace(hit.Snippet))
            {
                text.Append(" — ");
                TelegramHtml.AppendBoldMarked(text, hit.Snippet);
            }
        }

        return text.ToString();
    }
}
