using System.Text;
using Atlas.Contracts.Llm;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Locales;
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
            await replies.SendAsync(context, Describe(context, request.Query, results), stopping).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    private static string Describe(UpdateContext context, string query, KnowledgeSearchResults? results)
    {
        if (results is null)
        {
            return context.Text(TextKeys.ServiceUnavailable);
        }

        if (results.Hits.Count == 0)
        {
            return context.Text(TextKeys.SearchNoHits, query);
        }

        var text = new StringBuilder(context.Text(TextKeys.SearchHeader, query));
        var number = 0;
        foreach (var hit in results.Hits)
        {
            text.Append('\n').Append(++number).Append(". ").Append(hit.Title);
            if (!string.IsNullOrWhiteSpace(hit.Snippet))
            {
                text.Append(" — ").Append(hit.Snippet);
            }
        }

        return text.ToString();
    }
}
