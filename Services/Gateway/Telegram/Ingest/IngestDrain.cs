namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>
/// The updates this process put on the bus whose consumer has not finished yet. At shutdown the coordinator waits
/// (bounded) until they are settled before the bus stops, so the last batch a stopping poller handed over is handled
/// while the handlers' own publishing still works, instead of racing the bus's stop. The last settlement completes
/// the wait at once (no polling).
/// </summary>
internal sealed class IngestDrain(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly HashSet<long> _pending = [];
    private TaskCompletionSource? _drained;

    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    public void Published(long updateId)
    {
        lock (_gate)
        {
            _pending.Add(updateId);
        }
    }

    public void Settled(long updateId)
    {
        TaskCompletionSource? drained = null;
        lock (_gate)
        {
            if (_pending.Remove(updateId) && _pending.Count == 0)
            {
                (drained, _drained) = (_drained, null);
            }
        }

        drained?.TrySetResult();
    }

    /// <summary>Waits until nothing is pending or <paramref name="timeout"/> passed; true when drained.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task drained;
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return true;
            }

            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            drained = _drained.Task;
        }

        try
        {
            await drained.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            return false;
        }
    }
}
