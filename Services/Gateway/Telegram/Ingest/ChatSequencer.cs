namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>
/// The one ordering model of ingest: sequential within a chat, concurrent across chats, in the order the broker
/// delivered the batches. The bus hands deliveries to the consumer concurrently, so two batches holding updates of
/// one chat can reach it in either order. Each delivery is therefore admitted in its delivery-tag order (RabbitMQ
/// numbers one channel's deliveries 1, 2, 3, ...); once admitted, each chat's share of the batch queues behind that
/// chat's share of the earlier batches. A delivery whose predecessor never arrives (it failed before the consumer)
/// is admitted after <see cref="GapTimeout"/>.
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
    /// Takes the delivery's place in line, at once and without I/O: call it first thing for every delivery, so a later
    /// delivery never waits out <see cref="GapTimeout"/> for one that is merely busy before <see cref="RunAsync"/>.
    /// <paramref name="channel"/> and <paramref name="deliveryTag"/> come from the broker; without them (another
    /// transport) the delivery is admitted at once. A chat appears at most once in <paramref name="chatKeys"/>.
    /// </summary>
    public SequencerEntry Enter(string? channel, ulong? deliveryTag, IReadOnlyList<long> chatKeys)
    {
        ArgumentNullException.ThrowIfNull(chatKeys);
        var waiter = new Waiter(chatKeys, deliveryTag);
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

        return new SequencerEntry(waiter);
    }

    /// <summary>
    /// Runs each chat's work (<paramref name="works"/>, in the order of the entry's chat keys) after that chat's work
    /// from every earlier delivery finished; the chats of one delivery run concurrently. Without a call, or when it is
    /// cancelled, <see cref="Abandon"/> must release the entry.
    /// </summary>
    public async Task RunAsync(SequencerEntry entry, IReadOnlyList<Func<Task>> works, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(works);
        var waiter = entry.Waiter;
        Task[] predecessors;
        try
        {
            predecessors = await waiter.Admitted.Task.WaitAsync(GapTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_lock)
            {
                // Give up on the missing earlier deliveries: admit everything up to this one, in order.
                var through = waiter.DeliveryTag!.Value;
                foreach (var (tag, early) in _early.Where(e => e.Key <= through).ToList())
                {
                    _early.Remove(tag);
                    Admit(early);
                }

                _next = Math.Max(_next, through + 1);
                AdmitContiguous();
            }

            predecessors = await waiter.Admitted.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Abandon(entry);
            throw;
        }

        var running = new Task[works.Count];
        for (var i = 0; i < works.Count; i++)
        {
            running[i] = RunChatAsync(waiter.ChatKeys[i], works[i], predecessors[i], waiter.Done[i]);
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    /// <summary>Releases an entry that will not run (cancelled, or its delivery failed before its work), so its chats are not blocked.</summary>
    public void Abandon(SequencerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var waiter = entry.Waiter;
        lock (_lock)
        {
            if (waiter.DeliveryTag is { } tag && _early.TryGetValue(tag, out var early) && early == waiter)
            {
                _early.Remove(tag);
            }
        }

        for (var i = 0; i < waiter.ChatKeys.Count; i++)
        {
            Finish(waiter.ChatKeys[i], waiter.Done[i]);
        }
    }

    private async Task RunChatAsync(long chatKey, Func<Task> work, Task predecessor, TaskCompletionSource done)
    {
        try
        {
            await predecessor.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await work().ConfigureAwait(false);
        }
        finally
        {
            Finish(chatKey, done);
        }
    }

    private void Finish(long chatKey, TaskCompletionSource done)
    {
        done.TrySetResult();
        lock (_lock)
        {
            if (_tails.TryGetValue(chatKey, out var tail) && tail == done.Task)
            {
                _tails.Remove(chatKey);
            }
        }
    }

    // Caller holds _lock.
    private void Admit(Waiter waiter)
    {
        var predecessors = new Task[waiter.ChatKeys.Count];
        for (var i = 0; i < waiter.ChatKeys.Count; i++)
        {
            var key = waiter.ChatKeys[i];
            predecessors[i] = _tails.TryGetValue(key, out var tail) ? tail : Task.CompletedTask;
            _tails[key] = waiter.Done[i].Task;
        }

        waiter.Admitted.TrySetResult(predecessors);
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

    internal sealed class Waiter
    {
        public Waiter(IReadOnlyList<long> chatKeys, ulong? deliveryTag)
        {
            ChatKeys = chatKeys;
            DeliveryTag = deliveryTag;
            Done = new TaskCompletionSource[chatKeys.Count];
            for (var i = 0; i < Done.Length; i++)
            {
                Done[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public IReadOnlyList<long> ChatKeys { get; }

        public ulong? DeliveryTag { get; }

        public TaskCompletionSource<Task[]> Admitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource[] Done { get; }
    }
}

/// <summary>A delivery's place in <see cref="ChatSequencer"/>'s line, from <see cref="ChatSequencer.Enter"/>.</summary>
internal sealed class SequencerEntry(ChatSequencer.Waiter waiter)
{
    internal ChatSequencer.Waiter Waiter { get; } = waiter;
}
