using Atlas.Backup.Catalog;
using Atlas.Backup.Diagnostics;
using Atlas.Backup.Running;
using Atlas.Backup.Targets;
using Atlas.Contracts.Backup;
using MassTransit;

namespace Atlas.Backup.Consumers;

/// <summary>
/// <see cref="BackupRequested"/> -> one <see cref="BackupCompleted"/> per verified backup, or <see cref="BackupFailed"/>.
/// The request id is recorded first, so a redelivery of a handled request does not back up again.
/// </summary>
public sealed class BackupRequestedConsumer(BackupTargets targets, BackupRunner runner, RequestLedger ledger, TimeProvider time, ILogger<BackupRequestedConsumer> logger)
    : IConsumer<BackupRequested>
{
    public async Task Consume(ConsumeContext<BackupRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Message;
        var earlier = await ledger.BeginAsync(request.RequestId, request.Target, time.GetUtcNow(), context.CancellationToken).ConfigureAwait(false);
        if (earlier is not null)
        {
            BackupLog.DuplicateRequest(logger, request.RequestId, request.Target, earlier);
            return;
        }

        var selected = targets.Resolve(request.Target);
        if (selected is null)
        {
            var reason = $"Unknown backup target '{request.Target}'; known: all, postgres, {targets.Names}.";
            await context.Publish(new BackupFailed(request.RequestId, request.Target, reason, time.GetUtcNow())).ConfigureAwait(false);
            await ledger.FinishAsync(request.RequestId, "failed", [], reason, context.CancellationToken).ConfigureAwait(false);
            return;
        }

        var run = await BackupBatch.RunAsync(runner, selected, $"bus:{request.RequestedBy}", context.CancellationToken).ConfigureAwait(false);
        foreach (var backup in run.Backups)
        {
            await (backup.VerificationStatus == BackupRecord.Failed
                ? context.Publish(new BackupFailed(request.RequestId, backup.Target, $"Verification failed: {backup.VerificationDetail}", time.GetUtcNow()))
                : context.Publish(new BackupCompleted(request.RequestId, backup.Target, backup.Location, backup.SizeBytes, backup.CompletedAt))).ConfigureAwait(false);
        }

        foreach (var failure in run.Failures)
        {
            await context.Publish(new BackupFailed(request.RequestId, failure.Target, failure.Reason, time.GetUtcNow())).ConfigureAwait(false);
        }

        var status = run.Failures.Count == 0 ? "completed" : "failed";
        await ledger.FinishAsync(request.RequestId, status, run.Backups.Select(b => b.Id), run.Failures.Count > 0 ? run.Failures[0].Reason : null, context.CancellationToken).ConfigureAwait(false);
    }
}
