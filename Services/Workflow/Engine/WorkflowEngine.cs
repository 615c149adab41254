using System.Text.Json.Nodes;
using Atlas.Workflow.Camunda;
using Atlas.Workflow.Diagnostics;
using Atlas.Workflow.Notifications;
using Atlas.Workflow.Parked;
using Atlas.Workflow.Processes;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Atlas.Workflow.Engine;

/// <summary>
/// The one way Atlas writes to Camunda. Each operation runs under its idempotency key: applied once and remembered,
/// parked in PostgreSQL when the engine or its token endpoint is unavailable, reported to moderators when the engine
/// refuses it. The parked-work loop and operators replay parked work through <see cref="ResumeAsync"/>.
/// </summary>
internal sealed class WorkflowEngine(
    NpgsqlDataSource dataSource,
    ParkedStore store,
    OperationApplier applier,
    InstanceTracker instances,
    EngineAvailability availability,
    ModeratorNotifier notifier,
    IOptions<ParkedOptions> parked,
    WorkflowMetrics metrics,
    TimeProvider time,
    ILogger<WorkflowEngine> logger)
{
    public async Task<OperationOutcome> ExecuteAsync(EngineOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (HasNul(operation.Payload))
        {
            // PostgreSQL keeps no U+0000 in jsonb: such work could be applied now but not parked, so it is never taken.
            return new OperationOutcome(operation.Id, OperationStatus.Rejected, Error: "A variable contains a NUL character (U+0000), which Atlas cannot store.",
                ProblemStatus: 400, ProblemTitle: "INVALID_ARGUMENT");
        }

        await using var held = await OperationLock.AcquireAsync(dataSource, operation.Id, cancellationToken).ConfigureAwait(false);
        if (await store.FindAppliedAsync(operation.Id, cancellationToken).ConfigureAwait(false) is { } result)
        {
            return new OperationOutcome(operation.Id, OperationStatus.AlreadyApplied, result);
        }

        switch (await store.FindAsync(operation.Id, cancellationToken).ConfigureAwait(false))
        {
            case { State: "parked" } waiting:
                return new OperationOutcome(operation.Id, OperationStatus.Parked, Error: waiting.LastError);
            case { State: "discarded" }:
                return new OperationOutcome(operation.Id, OperationStatus.Discarded, Error: "An operator discarded this operation.");
            case { State: "failed" } failed:
                return new OperationOutcome(operation.Id, OperationStatus.Rejected, Error: failed.LastError);
        }

        try
        {
            return await ApplyAsync(operation, isRetry: false, resumedBy: null, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineUnavailableException exception)
        {
            availability.ReportFailure();
            var now = time.GetUtcNow();
            await store.ParkAsync(operation, exception.Reason, now, now + parked.Value.DelayAfter(1), cancellationToken).ConfigureAwait(false);
            metrics.Parked(operation.Kind);
            WorkflowLog.OperationParked(logger, operation.Kind, operation.Id, exception.Reason);
            return new OperationOutcome(operation.Id, OperationStatus.Parked, Error: exception.Reason);
        }
        catch (CamundaProblemException problem)
        {
            if (!IsTheAskersToKnow(operation, problem))
            {
                await notifier.EngineRefusedAsync(operation, problem, cancellationToken).ConfigureAwait(false);
            }

            WorkflowLog.OperationRejected(logger, operation.Kind, operation.Id, problem.Status, problem.Title);
            return new OperationOutcome(operation.Id, OperationStatus.Rejected, Error: problem.Detail, ProblemStatus: problem.Status, ProblemTitle: problem.Title);
        }
    }

    // Refusals the asker is told about and the moderators need not hear of: variables that do not fit a task's form,
    // and a message no instance waits for (a member's /consent with no onboarding open).
    private static bool IsTheAskersToKnow(EngineOperation operation, CamundaProblemException problem) =>
        problem.Title == CompletionForms.InvalidVariables || (operation.Kind == OperationKinds.CorrelateMessage && problem.Status == 404);

    private static bool HasNul(JsonNode? node) => node switch
    {
        JsonObject members => members.Any(m => m.Key.Contains('\0', StringComparison.Ordinal) || HasNul(m.Value)),
        JsonArray items => items.Any(HasNul),
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String => value.GetValue<string>().Contains('\0', StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>
    /// Takes back the process instance <paramref name="start"/> (a <see cref="OperationKinds.CreateProcessInstance"/>)
    /// asked for: cancels the instance when it was started, and otherwise makes sure it never starts (its parked work
    /// is discarded, or a discarded record waits for it). Null when nothing had started; else the cancellation's outcome.
    /// </summary>
    public async Task<OperationOutcome?> WithdrawStartAsync(EngineOperation start, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        string? instanceKey;
        await using (await OperationLock.AcquireAsync(dataSource, start.Id, cancellationToken).ConfigureAwait(false))
        {
            if (await store.FindAppliedAsync(start.Id, cancellationToken).ConfigureAwait(false) is not { } started)
            {
                if (await store.WithdrawAsync(start, reason, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
                {
                    WorkflowLog.StartWithdrawn(logger, start.Id, reason);
                }

                return null;
            }

            instanceKey = started["processInstanceKey"]?.ToString();
        }

        if (instanceKey is null)
        {
            return null;
        }

        var cancel = new EngineOperation(
            $"{start.Id}:cancel", OperationKinds.CancelProcessInstance, new JsonObject { ["processInstanceKey"] = instanceKey }, start.ChatId);
        return await ExecuteAsync(cancel, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tries parked (or failed) work again now. Null when no such operation was ever parked.</summary>
    public async Task<OperationOutcome?> ResumeAsync(string operationId, long? resumedBy, CancellationToken cancellationToken)
    {
        await using var held = await OperationLock.AcquireAsync(dataSource, operationId, cancellationToken).ConfigureAwait(false);
        if (await store.FindAppliedAsync(operationId, cancellationToken).ConfigureAwait(false) is { } result)
        {
            return new OperationOutcome(operationId, OperationStatus.AlreadyApplied, result);
        }

        var waiting = await store.FindAsync(operationId, cancellationToken).ConfigureAwait(false);
        if (waiting is null)
        {
            return null;
        }

        if (waiting.State == "discarded")
        {
            return new OperationOutcome(operationId, OperationStatus.Discarded, Error: "An operator discarded this operation.");
        }

        var operation = waiting.ToOperation();
        try
        {
            var outcome = await ApplyAsync(operation, isRetry: true, resumedBy, cancellationToken).ConfigureAwait(false);
            metrics.Unparked(operation.Kind, time.GetUtcNow() - waiting.ParkedAt);
            WorkflowLog.ParkedApplied(logger, operation.Kind, operationId, waiting.Attempts + 1);
            return outcome;
        }
        catch (EngineUnavailableException exception)
        {
            availability.ReportFailure();
            var next = time.GetUtcNow() + parked.Value.DelayAfter(waiting.Attempts + 1);
            await store.RecordAttemptAsync(operationId, "parked", exception.Reason, next, cancellationToken).ConfigureAwait(false);
            return new OperationOutcome(operationId, OperationStatus.Parked, Error: exception.Reason);
        }
        catch (CamundaProblemException problem)
        {
            await store.RecordAttemptAsync(operationId, "failed", $"{problem.Status} {problem.Title}: {problem.Detail}", time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            await notifier.EngineRefusedAsync(operation, problem, cancellationToken).ConfigureAwait(false);
            WorkflowLog.OperationRejected(logger, operation.Kind, operationId, problem.Status, problem.Title);
            return new OperationOutcome(operationId, OperationStatus.Rejected, Error: problem.Detail, ProblemStatus: problem.Status, ProblemTitle: problem.Title);
        }
    }

    /// <summary>Tries all parked work now (the dashboard's and the bot's "resume all"), oldest first.</summary>
    public async Task<ResumeAllCounts> ResumeAllAsync(long? resumedBy, CancellationToken cancellationToken)
    {
        int applied = 0, waiting = 0, refused = 0;
        foreach (var operation in await store.DueAsync(time.GetUtcNow(), all: true, limit: 1000, cancellationToken).ConfigureAwait(false))
        {
            switch ((await ResumeAsync(operation.OperationId, resumedBy, cancellationToken).ConfigureAwait(false))?.Status)
            {
                case OperationStatus.Applied or OperationStatus.AlreadyApplied:
                    applied++;
                    break;
                case OperationStatus.Parked:
                    waiting++;
                    break;
                default:
                    refused++;
                    break;
            }
        }

        return new ResumeAllCounts(applied, waiting, refused);
    }

    private async Task<OperationOutcome> ApplyAsync(EngineOperation operation, bool isRetry, long? resumedBy, CancellationToken cancellationToken)
    {
        var result = await applier.ApplyAsync(operation, isRetry, cancellationToken).ConfigureAwait(false);
        availability.ReportSuccess();
        await store.RecordAppliedAsync(operation, result, time.GetUtcNow(), resumedBy, CancellationToken.None).ConfigureAwait(false);
        if (operation.Kind == OperationKinds.CreateProcessInstance)
        {
            await instances.TrackAsync(operation, result, CancellationToken.None).ConfigureAwait(false);
            metrics.InstanceStarted(operation.Payload["processDefinitionId"]?.ToString() ?? "");
        }

        return new OperationOutcome(operation.Id, OperationStatus.Applied, result);
    }
}

/// <summary>What a "resume all" did.</summary>
internal sealed record ResumeAllCounts(int Applied, int StillParked, int Refused);
