namespace Atlas.Contracts.Workflow;

/// <summary>
/// A member's answer to the onboarding's consent request (<c>/consent</c> or <c>/consent no</c> in the private chat),
/// answered with <see cref="ConsentGiven"/>. Workflow correlates it as the message <c>consent-given</c> to the
/// onboarding of <see cref="UserId"/> that waits for it. <see cref="RequestId"/> comes from the Telegram update and is
/// the idempotency key, so a redelivered answer is delivered once.
/// </summary>
public sealed record GiveConsent(long ChatId, long UserId, bool Consent, string RequestId);

/// <summary>
/// What became of a <see cref="GiveConsent"/>: <see cref="WorkflowOutcome.Applied"/> (the onboarding took it),
/// <see cref="WorkflowOutcome.NotFound"/> (no onboarding of this member waits for an answer),
/// <see cref="WorkflowOutcome.Parked"/> (Camunda is away; it is delivered when it is back) or
/// <see cref="WorkflowOutcome.Refused"/> with the engine's detail.
/// </summary>
public sealed record ConsentGiven(long UserId, bool Consent, WorkflowOutcome Outcome, string? Detail = null);
