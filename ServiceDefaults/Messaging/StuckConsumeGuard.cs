using MassTransit;
using Microsoft.Extensions.Logging;

namespace Atlas.ServiceDefaults.Messaging;

/// <summary>
/// Lets a receive endpoint recover from a consume that will not end. When the broker connection or the channel closes,
/// MassTransit cancels the consumes in flight and restarts the endpoint only once every one of them has ended. A consume
/// waiting on something deaf to that cancellation holds the endpoint down for good: a dump of a gateway after a broker
/// restart showed publishes queued behind RabbitMQ.Client's channel lock, never released, and the ingest queue left
/// with no consumer. This filter gives a cancelled consume <see cref="Grace"/> to end; past it the consume is given up
/// (its delivery ends as cancelled, so the broker hands the message out again, and consumers take a message once) and
/// the endpoint can reconnect. The abandoned work may still finish later; its outcome is observed and logged.
/// </summary>
internal sealed partial class StuckConsumeGuard(TimeSpan grace, TimeProvider time, ILogger logger) : IFilter<ConsumeContext>
{
    /// <summary>The default time a cancelled consume is given to end before it is given up.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(10);

    /// <summary>The time a cancelled consume is given to end before it is given up.</summary>
    public TimeSpan Grace { get; } = grace;

    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        var consume = next.Send(context);
        if (consume.IsCompleted || !context.CancellationToken.CanBeCanceled)
        {
            await consume.ConfigureAwait(false);
            return;
        }

        // Until cancellation, the consume runs as long as it needs: only a cancelled one is timed. Neither wait throws:
        // whether the consume ended is read from the consume itself, so its own outcome is what the pipe sees.
        await consume.WaitAsync(context.CancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!consume.IsCompleted)
        {
            await consume.WaitAsync(Grace, time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (consume.IsCompleted)
        {
            await consume.ConfigureAwait(false);
            return;
        }

        var messageType = context.SupportedMessageTypes.FirstOrDefault() ?? "unknown";
        Abandoned(logger, messageType, context.MessageId, Grace.TotalSeconds);
        _ = ObserveLateEndAsync(consume, messageType);
        throw new OperationCanceledException(
            $"A cancelled consume of {messageType} did not end within {Grace.TotalSeconds:0.#} s and was given up.", context.CancellationToken);
    }

    private async Task ObserveLateEndAsync(Task consume, string messageType)
    {
        try
        {
            await consume.ConfigureAwait(false);
            AbandonedEnded(logger, messageType, "completed", null);
        }
        catch (Exception exception)
        {
            // Nobody waits on it any more: this line is where its outcome is seen.
            AbandonedEnded(logger, messageType, "failed", exception);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("stuckConsumeGuard").Add("grace", Grace);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A cancelled consume of {MessageType} (message {MessageId}) did not end within {GraceSeconds} s; given up so its endpoint can reconnect, and the broker delivers the message again")]
    private static partial void Abandoned(ILogger logger, string messageType, Guid? messageId, double graceSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "A given-up consume of {MessageType} ended late: {Status}")]
    private static partial void AbandonedEnded(ILogger logger, string messageType, string status, Exception? exception);
}
