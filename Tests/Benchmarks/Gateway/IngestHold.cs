using Atlas.Contracts.Telegram;
using MassTransit;

namespace Atlas.Benchmarks.Gateway;

/// <summary>
/// Holds the gateway's ingest consumer while closed: each <see cref="TelegramUpdateBatch"/> delivery waits before its
/// handlers run (the rest stay on the queue), so a round measures the webhook edge alone, the durable hand-off
/// included, as grammY's no-op handler is measured. Opening it lets the held batches through.
/// </summary>
internal sealed class IngestHold : IConsumeObserver
{
    private TaskCompletionSource _open = Opened();

    public void Close()
    {
        var current = Volatile.Read(ref _open);
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _open, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
        }
    }

    public void Open() => Volatile.Read(ref _open).TrySetResult();

    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class => context.Message is TelegramUpdateBatch ? Volatile.Read(ref _open).Task.WaitAsync(context.CancellationToken) : Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}
