using Atlas.Contracts.Llm;
using Atlas.LlmRouter.Diagnostics;
using Atlas.LlmRouter.Knowledge;
using MassTransit;

namespace Atlas.LlmRouter.Consumers;

/// <summary>
/// Stores documents sent over the bus (<see cref="AddKnowledgeDocuments"/>) through the same checks as HTTP ingestion.
/// Idempotent by natural key: documents are upserted by id (given, or derived from title and body), so a redelivery
/// stores the same rows again. A rejection is logged with its rule and, for a request, answered.
/// </summary>
public sealed class AddKnowledgeDocumentsConsumer(KnowledgeIngestor ingestor, ILogger<AddKnowledgeDocumentsConsumer> logger) : IConsumer<AddKnowledgeDocuments>
{
    public async Task Consume(ConsumeContext<AddKnowledgeDocuments> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var inputs = (context.Message.Documents ?? []).Select(d => new KnowledgeDocumentInput(d.Id, d.Title, d.Body, d.Source, d.Language, d.Tags, d.Format)).ToList();
        var (ids, rejection) = await ingestor.IngestAsync(inputs, context.CancellationToken).ConfigureAwait(false);
        if (rejection is not null)
        {
            LlmRouterLog.DocumentRejected(logger, rejection.Detail, rejection.Rule);
        }

        if (context.ResponseAddress is not null)
        {
            await (rejection is null
                ? context.RespondAsync(new KnowledgeDocumentsAdded(ids))
                : context.RespondAsync(new KnowledgeDocumentsRejected(rejection.Title, rejection.Detail, rejection.Rule, rejection.Field, rejection.Index))).ConfigureAwait(false);
        }
    }
}

/// <summary>A batch is one database transaction: a few in parallel, and the bus's default retries for a lost connection.</summary>
public sealed class AddKnowledgeDocumentsConsumerDefinition : ConsumerDefinition<AddKnowledgeDocumentsConsumer>
{
    public AddKnowledgeDocumentsConsumerDefinition() => ConcurrentMessageLimit = 4;
}
