using Atlas.Contracts.Telegram;
using Atlas.Workflow.Camunda;
using Atlas.Workflow.Engine;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Atlas.Workflow.Notifications;

/// <summary>
/// Tells the moderators' chats (through the gateway's <see cref="SendTelegramMessage"/>) when the engine refuses an
/// operation or a job runs out of retries. The idempotency key is the operation's, so a repeat sends nothing twice.
/// </summary>
internal sealed class ModeratorNotifier(IBus publish, IOptions<NotificationOptions> options)
{
    public Task EngineRefusedAsync(EngineOperation operation, CamundaProblemException problem, CancellationToken cancellationToken) =>
        NotifyAsync($"workflow-refused:{operation.Id}", $"Camunda refused {operation.Kind} ({operation.Id}): {problem.Status} {problem.Title}: {problem.Detail}", cancellationToken);

    public Task JobIncidentAsync(ActivatedJob job, string reason, CancellationToken cancellationToken) =>
        NotifyAsync($"workflow-incident:{job.JobKey}", $"Job {job.Type} of process {job.ProcessDefinitionId} ({job.ProcessInstanceKey}) ran out of retries: {reason}", cancellationToken);

    private async Task NotifyAsync(string key, string text, CancellationToken cancellationToken)
    {
        foreach (var chatId in options.Value.ModeratorChatIds)
        {
            await publish.Publish(new SendTelegramMessage($"{key}:{chatId}", chatId, text), cancellationToken).ConfigureAwait(false);
        }
    }
}
