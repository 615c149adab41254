namespace Atlas.Contracts.Workflow;

/// <summary>
/// An appeal was settled without Workflow's review (a chat admin's <c>/resolve</c>): Workflow withdraws the review it
/// started for <see cref="AppealId"/> (the id <see cref="StartAppealReview"/> carried), so moderators are not left a
/// task whose decision would no longer count. If the review has not started yet, it never starts. Idempotent.
/// </summary>
public sealed record CancelAppealReview(Guid AppealId, long ChatId, string Outcome, DateTimeOffset SettledAt);
