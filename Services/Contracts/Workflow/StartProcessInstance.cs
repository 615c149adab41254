namespace Atlas.Contracts.Workflow;

/// <summary>
/// <c>/workflow start &lt;process&gt; [key=value ...]</c> from a workflow admin; answered with <see cref="ProcessStartResult"/>.
/// <see cref="RequestId"/> comes from the Telegram update and is the start's idempotency key, so a redelivered request
/// starts one instance. Variable values are as typed; Workflow reads numbers, true/false and JSON, the rest as text.
/// </summary>
public sealed record StartProcessInstance(
    long ChatId,
    long UserId,
    string ProcessDefinitionId,
    IReadOnlyDictionary<string, string> Variables,
    string RequestId);
