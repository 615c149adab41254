using Atlas.Contracts.Llm;
using Atlas.LlmRouter.Knowledge;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Atlas.LlmRouter.Consumers;

/// <summary>Answers the gateway's <c>/search</c> (<see cref="KnowledgeSearchRequested"/>) with ranked hits; a read, so redelivery is harmless.</summary>
public sealed class KnowledgeSearchRequestedConsumer(IKnowledgeStore store, IOptionsMonitor<KnowledgeOptions> options) : IConsumer<KnowledgeSearchRequested>
{
    public async Task Consume(ConsumeContext<KnowledgeSearchRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Message;
        var limit = Math.Clamp(request.Limit, 1, options.CurrentValue.MaxSearchLimit);
        var hits = await store.SearchAsync(new KnowledgeQuery(request.Query, null, limit), context.CancellationToken).ConfigureAwait(false);
        await context.RespondAsync(new KnowledgeSearchResults(
            request.Query, [.. hits.Select(h => new KnowledgeSearchHit(h.DocumentId, h.Title, h.Snippet, h.Rank))])).ConfigureAwait(false);
    }
}

/// <summary>Searches are short reads: the bus's default retries are enough.</summary>
public sealed class KnowledgeSearchRequestedConsumerDefinition : ConsumerDefinition<KnowledgeSearchRequestedConsumer>
{
    public KnowledgeSearchRequestedConsumerDefinition() => ConcurrentMessageLimit = 32;
}
