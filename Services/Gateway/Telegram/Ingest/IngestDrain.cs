using System.Collections.Concurrent;

namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>
/// The updates this process put on the bus whose consumer has not finished yet. At shutdown the coordinator waits
/// (bounded) until they are settled before the bus stops, so the last batch a stopping poller handed over is handled
/// while the handlers' own publishing still works, instead of racing the bus's stop.
/// </summary>
internal sealed class IngestDrain(TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private readonly ConcurrentDictionary<long, byte> _pending = new();

    public int Pending => _pending.Count;

    public void Published(long updateId) => _pending.TryAdd(updateId, 0);

    public void Settled(long updateId) => _pending.TryRemove(updateId, out _);

    /// <summary>Waits until nothing is pending or <paramref name="timeout"/> passed; true when drained.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var giveUpAt = time.GetUtcNow() + timeout;
        while (!_pending.IsEmpty)
        {
            if (time.GetUtcNow() >= giveUpAt || cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            await Task.Delay(PollInterval, time, CancellationToken.None).ConfigureAwait(false);
        }

        return true;
    }
}
