using Atlas.Contracts.Llm;
using Atlas.LlmRouter.Routing;
using Atlas.LlmRouter.Verdicts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Atlas.LlmRouter.Consumers;

/// <summary>
/// Answers Moderation's <see cref="SpamVerdictRequested"/>. The models get until shortly before the request expires
/// (the asker's timeout), at most the routing deadline, so a late answer is not computed for no one. Nothing is
/// stored, so a redelivery simply asks again; Moderation caches the verdicts it gets.
/// </summary>
public sealed class SpamVerdictRequestedConsumer(SpamClassifier classifier, IOptionsMonitor<RoutingOptions> routing, TimeProvider time)
    : IConsumer<SpamVerdictRequested>
{
    private static readonly TimeSpan ReplyReserve = TimeSpan.FromMilliseconds(200);

    public async Task Consume(ConsumeContext<SpamVerdictRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var deadline = routing.CurrentValue.Deadline - routing.CurrentValue.AnswerReserve;
        if (context.ExpirationTime is { } expires)
        {
            var left = new DateTimeOffset(DateTime.SpecifyKind(expires, DateTimeKind.Utc)) - time.GetUtcNow() - ReplyReserve;
            deadline = left < deadline ? left : deadline;
        }

        if (deadline <= TimeSpan.Zero)
        {
            return;
        }

        var reply = await classifier.ClassifyAsync(context.Message, deadline, context.CancellationToken).ConfigureAwait(false);
        await context.RespondAsync(reply).ConfigureAwait(false);
    }
}

/// <summary>Verdicts wait on models: a bounded number at once per instance.</summary>
public sealed class SpamVerdictRequestedConsumerDefinition : ConsumerDefinition<SpamVerdictRequestedConsumer>
{
    public SpamVerdictRequestedConsumerDefinition() => ConcurrentMessageLimit = 32;
}
