namespace Atlas.Contracts.Workflow;

/// <summary>
/// A member appealed a moderation action; Workflow starts the appeal-review process (a moderators' user task, then
/// the decision applied and the member told). <see cref="AppealId"/> is the natural key: a redelivery starts nothing twice.
/// </summary>
public sealed record StartAppealReview(
    Guid AppealId,
    long ChatId,
    long UserId,
    string? Username,
    string Reason,
    string? ActionAppealed,
    DateTimeOffset SubmittedAt);
