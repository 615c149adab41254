namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>One chat's share of a delivered batch: its updates, in order, as one piece of work.</summary>
internal readonly record struct ChatWork(long ChatKey, Func<Task> Work);

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
    /// Runs each chat's work after that chat's work from every earlier delivery finished; the chats of one delivery
    /// run concurrently. <paramref name="channel"/> and <paramref name="deliveryTag"/> come from the broker; without
    /// them (another transport) the delivery is admitted at once. A chat appears at most once in <paramref name="chats"/>.
    /// </summary>
    public async Task RunAsync(string? channel, ulong? deliveryTag, IReadOnlyList<ChatWork> chats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chats);
        var waiter = new Waiter(chats);
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
                var through = deliveryTag!.Value;
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
            Abandon(waiter, deliveryTag);
            throw;
        }

        var running = new Task[chats.Count];
        for (var i = 0; i < chats.Count; i++)
        {
            running[i] = RunChatAsync(chats[i], predecessors[i], waiter.Done[i]);
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task RunChatAsync(ChatWork chat, Task predecessor, TaskCompletionSource done)
    {
        try
        {
            await predecessor.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await chat.Work().ConfigureAwait(false);
        }
        finally
        {
            Finish(chat.ChatKey, done);
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

    // A cancelled wait must not leave its chats blocked behind it.
    private void Abandon(Waiter waiter, ulong? deliveryTag)
    {
        lock (_lock)
        {
            if (deliveryTag is { } tag && _early.TryGetValue(tag, out var early) && early == waiter)
            {
                _early.Remove(tag);
            }
        }

        for (var i = 0; i < waiter.Chats.Count; i++)
        {
            Finish(waiter.Chats[i].ChatKey, waiter.Done[i]);
        }
    }

    // Caller holds _lock.
    private void Admit(Waiter waiter)
    {
        var predecessors = new Task[waiter.Chats.Count];
        for (var i = 0; i < waiter.Chats.Count; i++)
        {
            var key = waiter.Chats[i].ChatKey;
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

    private sealed class Waiter
    {
        public Waiter(IReadOnlyList<ChatWork> chats)
        {
            Chats = chats;
            Done = new TaskCompletionSource[chats.Count];
            for (var i = 0; i < Done.Length; i++)
            {
                Done[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public IReadOnlyList<ChatWork> Chats { get; }

        public TaskCompletionSource<Task[]> Admitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource[] Done { get; }
    }
}
