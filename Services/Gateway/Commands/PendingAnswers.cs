using System.Collections.Concurrent;
using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Telegram.Ingest;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Commands;

/// <summary>
/// Answers that take a peer service's time (LlmRouter, Workflow, the knowledge base) run here, outside the chat's turn:
/// the update is done as soon as the question is on its way, so the next command of the chat is answered at once.
/// Answers of one conversation keep their order: <see cref="Ordered"/> hands out tickets per chat, and an answer is sent
/// only after the earlier ones of that chat were delivered (or were told they are late). At shutdown the pending answers
/// get <see cref="IngestOptions.ShutdownDrainTimeout"/> to finish before they are cancelled.
/// </summary>
public sealed class PendingAnswers(AnswerJournal journal, IOptions<IngestOptions> options, ILogger<PendingAnswers> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan CancelledSettleTimeout = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly ConcurrentDictionary<long, Task> _lastDelivery = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    /// <summary>
    /// Records in <see cref="AnswerJournal"/> that <paramref name="context"/>'s user is owed an answer (still inside the
    /// chat's turn, so before the update counts as handled), then runs <paramref name="work"/> in the background. A
    /// failure is logged and the user told politely the answer is not coming; nothing is thrown into the chat's turn.
    /// </summary>
    public async Task RunAsync(UpdateContext context, string purpose, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(work);
        var owed = context.ChatId is { } chatId
            && await journal.RecordAsync(context.UpdateId, chatId, context.User?.LanguageCode, cancellationToken).ConfigureAwait(false);
        Start(context, purpose, work, owed);
    }

    /// <summary>
    /// The user of <paramref name="updateId"/> was told where their answer stands (the polite "taking too long"): it is
    /// no longer owed, so a stop while a late answer may still come does not have the next gateway tell them again.
    /// </summary>
    public Task ToldAsync(long updateId) => journal.ForgetAsync(updateId);

    private void Start(UpdateContext context, string purpose, Func<CancellationToken, Task> work, bool owed)
    {
        var task = RunCoreAsync(context, purpose, work, owed);
        _running.TryAdd(task, 0);
        _ = task.ContinueWith(done => _running.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// A place in the chat's line of answers: <see cref="AnswerTicket.TurnAsync"/> waits until every earlier ticket of
    /// the chat was delivered; <see cref="AnswerTicket.Delivered"/> lets the next one go.
    /// </summary>
    public AnswerTicket Ordered(long chatId)
    {
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var previous = Task.CompletedTask;
        _lastDelivery.AddOrUpdate(chatId, delivered.Task, (_, last) =>
        {
            previous = last;
            return delivered.Task;
        });
        return new AnswerTicket(this, chatId, previous, delivered);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var pending = _running.Keys.ToArray();
        if (pending.Length > 0)
        {
            // Each answer catches its own failures, so the only ways out early are the timeout and the host's cancellation.
            try
            {
                await Task.WhenAll(pending).WaitAsync(options.Value.ShutdownDrainTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
            {
                GatewayLog.PendingAnswersCancelled(logger, _running.Count);
            }
        }

        // The host may stop twice (a test factory does), the second time after the container disposed this.
        if (Volatile.Read(ref _disposed) == 0)
        {
            try
            {
                await _stopping.CancelAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                // The container disposed this between the check and the cancel (a host stopped while it is disposed):
                // nothing is left to cancel for.
                return;
            }

            // Let the cancelled answers settle their journal entries while Redis is still connected (briefly: each only
            // notices its cancellation and returns).
            try
            {
                await Task.WhenAll(_running.Keys.ToArray()).WaitAsync(CancelledSettleTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
            {
                GatewayLog.PendingAnswersCancelled(logger, _running.Count);
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Dispose();
        }
    }

    internal void Forget(long chatId, Task delivered) =>
        _lastDelivery.TryRemove(new KeyValuePair<long, Task>(chatId, delivered));

    private async Task RunCoreAsync(UpdateContext context, string purpose, Func<CancellationToken, Task> work, bool owed)
    {
        await Task.Yield();
        var updateId = context.UpdateId;
        try
        {
            await work(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Still owed: the next gateway to look tells the user (this one gives up its lease as it stops).
            GatewayLog.PendingAnswerStopped(logger, purpose, updateId);
            return;
        }
        catch (Exception exception)
        {
            GatewayLog.PendingAnswerFailed(logger, exception, purpose, updateId);
            if (owed && context.ChatId is { } chatId)
            {
                await ApologiseAsync(context, chatId, purpose).ConfigureAwait(false);
            }

            return;
        }

        if (owed)
        {
            await journal.ForgetAsync(updateId).ConfigureAwait(false);
        }
    }

    private async Task ApologiseAsync(UpdateContext context, long chatId, string purpose)
    {
        try
        {
            await journal.ApologiseAsync(context.UpdateId, chatId, context.User?.LanguageCode, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Left owed: another gateway tells the user once this one is gone.
            GatewayLog.PendingAnswerFailed(logger, exception, purpose, context.UpdateId);
        }
    }
}

/// <summary>One answer's place in its chat's line (see <see cref="PendingAnswers.Ordered"/>).</summary>
public sealed class AnswerTicket : IDisposable
{
    private readonly PendingAnswers _owner;
    private readonly long _chatId;
    private readonly Task _previous;
    private readonly TaskCompletionSource _delivered;

    internal AnswerTicket(PendingAnswers owner, long chatId, Task previous, TaskCompletionSource delivered)
    {
        _owner = owner;
        _chatId = chatId;
        _previous = previous;
        _delivered = delivered;
    }

    /// <summary>Waits until the chat's earlier answers were delivered.</summary>
    public Task TurnAsync(CancellationToken cancellationToken) => _previous.WaitAsync(cancellationToken);

    /// <summary>This answer (or its "it is late" notice) was sent: the next one of the chat may go.</summary>
    public void Delivered()
    {
        if (_delivered.TrySetResult())
        {
            _owner.Forget(_chatId, _delivered.Task);
        }
    }

    public void Dispose() => Delivered();
}
