namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>
/// Sequential within a chat, concurrent across chats, in the order the broker delivered. The bus hands deliveries
/// to consumers concurrently, so two updates of one chat can reach the consumer in either order; a plain per-key
/// lock (MassTransit's partitioner) would then run them in that order. Instead each delivery is admitted in its
/// delivery-tag order (RabbitMQ numbers one channel's deliveries 1, 2, 3, ...), and once admitted it queues behind
/// the previous update of its chat. A delivery whose predecessor never arrives (it failed before the consumer) is
/// admitted after <see cref="GapTimeout"/>.
/// </summary>
internal sealed class ChatSequencer(TimeProvider time)
{
    public static readonly TimeSpan GapTimeout = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private readonly SortedDictionary<ulong, Waiter> _early = [];
    private readonly Dictionary<long, Task> _tails = [];
    private string? _channel;
    private ulong _next = 1;

    /// <summary>Chats with work queued or running (for tests and diagnostics).</summary>
    public int ActiveChats
    {
        get
        {
            lock (_lock)
            {
                return _tails.Count;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> after every earlier delivery of chat <paramref name="chatKey"/> finished.
    /// <paramref name="channel"/> and <paramref name="deliveryTag"/> come from the broker; without them (another
    /// transport, a retry) the update is admitted at once.
    /// </summary>
    public async Task RunAsync(string? channel, ulong? deliveryTag, long chatKey, Func<Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var waiter = new Waiter(chatKey);
        lock (_lock)
        {
            if (channel is not null && channel != _channel)
            {
                // A new channel numbers its deliveries from 1 again; whatever waited on the old one goes ahead.
                _channel = channel;
                _next = 1;
                AdmitAllEarly();
            }

            if (channel is null || deliveryTag is not { } tag || tag < _next)
            {
                Admit(waiter);
            }
            else if (tag == _next)
            {
                Admit(waiter);
                _next = tag + 1;
                AdmitContiguous();
            }
            else
            {
                _early[tag] = waiter;
            }
        }

        Task predecessor;
        try
        {
            predecessor = await waiter.Admitted.Task.WaitAsync(GapTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_lock)
            {
                // Give up on the missing earlier deliveries: admit everything up to this one, in order.
                var through = deliveryTag!.Value;
                foreach (var (tag, early) in _early.Where(e => e.Key <= through).ToList())
                {
                    _early.Remove(tag);
                    Admit(early);
                }

                _next = Math.Max(_next, through + 1);
                AdmitContiguous();
            }

            predecessor = await waiter.Admitted.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Abandon(waiter, deliveryTag);
            throw;
        }

        try
        {
            await predecessor.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await work().ConfigureAwait(false);
        }
        finally
        {
            waiter.Done.TrySetResult();
            lock (_lock)
            {
                if (_tails.TryGetValue(chatKey, out var tail) && tail == waiter.Done.Task)
                {
                    _tails.Remove(chatKey);
                }
            }
        }
    }

    // A cancelled wait must not leave its chat blocked behind it.
    private void Abandon(Waiter waiter, ulong? deliveryTag)
    {
        lock (_lock)
        {
            if (deliveryTag is { } tag && _early.TryGetValue(tag, out var early) && early == waiter)
            {
                _early.Remove(tag);
            }
        }

        waiter.Done.TrySetResult();
        lock (_lock)
        {
            if (_tails.TryGetValue(waiter.ChatKey, out var tail) && tail == waiter.Done.Task)
            {
                _tails.Remove(waiter.ChatKey);
            }
        }
    }

    // Caller holds _lock.
    private void Admit(Waiter waiter)
    {
        var predecessor = _tails.TryGetValue(waiter.ChatKey, out var tail) ? tail : Task.CompletedTask;
        _tails[waiter.ChatKey] = waiter.Done.Task;
        waiter.Admitted.TrySetResult(predecessor);
    }

    // Caller holds _lock.
    private void AdmitContiguous()
    {
        while (_early.Remove(_next, out var waiter))
        {
            Admit(waiter);
            _next++;
        }
    }

    // Caller holds _lock.
    private void AdmitAllEarly()
    {
        foreach (var waiter in _early.Values)
        {
            Admit(waiter);
        }

        _early.Clear();
    }

    private sealed class Waiter(long chatKey)
    {
        public long ChatKey { get; } = chatKey;

        public TaskCompletionSource<Task> Admitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
