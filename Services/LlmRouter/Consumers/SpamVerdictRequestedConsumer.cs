using Atlas.Contracts.Llm;
using Atlas.LlmRouter.Routing;
using Atlas.LlmRouter.Verdicts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Atlas.LlmRouter.Consumers;

/// <summary>
/// Answers Moderation's <see cref="SpamVerdictRequested"/>. The models get until shortly before the asker stops
/// waiting (<see cref="SpamVerdictRequested.AnswerWithin"/>, less a quarter for the bus), at most the routing deadline,
/// so the reply arrives in time and a late answer is not computed for no one. Nothing is stored, so a redelivery simply asks again; Moderation caches the verdicts it gets.
/// </summary>
public sealed class SpamVerdictRequestedConsumer(SpamClassifier classifier, IOptionsMonitor<RoutingOptions> routing)
    : IConsumer<SpamVerdictRequested>
{
    private static readonly TimeSpan ReplyReserve = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MinimumDeadline = TimeSpan.FromMilliseconds(50);

    public async Task Consume(ConsumeContext<SpamVerdictRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = routing.CurrentValue;
        var deadline = settings.Deadline - settings.AnswerReserve;
        if (context.Message.AnswerWithin > TimeSpan.Zero)
        {
            // A quarter of the asker's wait (at least ReplyReserve) is left for the bus both ways.
            var reserve = context.Message.AnswerWithin / 4 > ReplyReserve ? context.Message.AnswerWithin / 4 : ReplyReserve;
            deadline = context.Message.AnswerWithin - reserve < deadline ? context.Message.AnswerWithin - reserve : deadline;
        }

        deadline = deadline < MinimumDeadline ? MinimumDeadline : deadline;
        var reply = await classifier.ClassifyAsync(context.Message, deadline, context.CancellationToken).ConfigureAwait(false);
        await context.RespondAsync(reply).ConfigureAwait(false);
    }
}

/// <summary>Verdicts wait on models: a bounded number at once per instance.</summary>
public sealed class SpamVerdictRequestedConsumerDefinition : ConsumerDefinition<SpamVerdictRequestedConsumer>
{
    public SpamVerdictRequestedConsumerDefinition() => ConcurrentMessageLimit = 32;
}
