using MassTransit;

namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>
/// A publish whose wait ends on this process's own clock and token, not only where MassTransit looks at the token.
/// After a broker restart a publish can wait for ever on its channel's one-time topology set-up: a dump of a stalled
/// gateway showed the exchange declare queued behind the channel's RPC lock, which was never released, and every
/// publish of that message type waiting on it, deaf to cancellation. The consumes holding them never ended, so the
/// ingest endpoint never reconnected (0 consumers, updates piling up). Giving up the wait ends the consume or the
/// batch; the retry then publishes on a fresh channel. A publish given up on may still go out later: it carries the
/// same MessageId, and consumers take a MessageId once.
/// </summary>
internal static class BoundedPublish
{
    /// <summary>
    /// Publishes <paramref name="message"/> and waits at most <paramref name="timeout"/> for the broker's confirm;
    /// beyond it throws <see cref="BusUnavailableException"/>. Cancellation ends the wait at once.
    /// </summary>
    public static async Task PublishWithinAsync<T>(
        this IBus bus, T message, Action<PublishContext<T>> prepare, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(bus);
        using var publishing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var publish = bus.Publish(message, prepare, publishing.Token);
        // Whichever ends first: the publish, the timeout, or the caller's token. The wait does not throw: whether the
        // publish ended is read from the publish itself.
        await publish.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!publish.IsCompleted)
        {
            // Tell MassTransit to stop too, and observe the abandoned publish's own end so it is not reported unobserved.
            await publishing.CancelAsync().ConfigureAwait(false);
            _ = publish.ContinueWith(static abandoned => abandoned.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            cancellationToken.ThrowIfCancellationRequested();
            throw new BusUnavailableException($"The broker did not confirm a {typeof(T).Name} within {timeout.TotalSeconds:0.#} s.");
        }

        await publish.ConfigureAwait(false);
    }
}
