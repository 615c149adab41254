using Atlas.Contracts.Telegram;
using Atlas.Workflow.Camunda;
using MassTransit;

namespace Atlas.Workflow.Jobs;

/// <summary>
/// <c>atlas.send-telegram-message</c>: sends <c>text</c> to <c>chatId</c> through the gateway. The job key is the
/// idempotency key, so a job activated again after a lost completion sends nothing twice.
/// </summary>
internal sealed class SendTelegramMessageJob(IBus publish) : IJobHandler
{
    public string JobType => "atlas.send-telegram-message";

    public async Task<JobResult> HandleAsync(ActivatedJob job, CancellationToken cancellationToken)
    {
        var chatId = JobVariables.Long(job, "chatId");
        var text = JobVariables.Text(job, "text");
        if (chatId is null || string.IsNullOrWhiteSpace(text))
        {
            return JobResult.BpmnError("invalid-message", "The job needs the variables chatId (a number) and text.");
        }

        await publish.Publish(new SendTelegramMessage($"workflow-job:{job.JobKey}", chatId.Value, text), cancellationToken).ConfigureAwait(false);
        return JobResult.Complete(new System.Text.Json.Nodes.JsonObject { ["messageSent"] = true });
    }
}
