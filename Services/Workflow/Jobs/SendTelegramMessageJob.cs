using Atlas.Contracts.Telegram;
using Atlas.Workflow.Camunda;
using MassTransit;

namespace Atlas.Workflow.Jobs;

/// <summary>
/// <c>atlas.send-telegram-message</c>: sends <c>text</c> to <c>chatId</c> through the gateway, or, in a process that has
/// no chat (an onboarding started with only <c>userId</c>), to the member's private chat, whose id is the user id. The
/// job key is the idempotency key, so a job activated again after a lost completion sends nothing twice.
/// </summary>
internal sealed class SendTelegramMessageJob(IBus publish) : IJobHandler
{
    public string JobType => "atlas.send-telegram-message";

    public async Task<JobResult> HandleAsync(ActivatedJob job, CancellationToken cancellationToken)
    {
        var chatId = JobVariables.Long(job, "chatId") ?? JobVariables.Long(job, "userId");
        var text = JobVariables.Text(job, "text");
        if (chatId is null || string.IsNullOrWhiteSpace(text))
        {
            return JobResult.BpmnError("invalid-message", "The job needs the variables chatId or userId (a number) and text.");
        }

        await publish.Publish(new SendTelegramMessage($"workflow-job:{job.JobKey}", chatId.Value, text), cancellationToken).ConfigureAwait(false);
        return JobResult.Complete(new System.Text.Json.Nodes.JsonObject { ["messageSent"] = true });
    }
}
