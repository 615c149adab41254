namespace Atlas.Contracts.Workflow;

/// <summary>
/// Workflow's appeal review reached its decision (<see cref="Decision"/>: <c>lift</c> or <c>uphold</c>) for the appeal
/// Moderation handed over with <see cref="StartAppealReview"/> (same <see cref="AppealId"/>), so Moderation closes its
/// record of the appeal. On <c>lift</c> Workflow has asked the gateway itself to lift the restriction, as
/// <see cref="LiftActionId"/>.
/// </summary>
public sealed record AppealReviewed(
    Guid AppealId,
    long ChatId,
    long UserId,
    string Decision,
    Guid? LiftActionId,
    DateTimeOffset ReviewedAt)
{
    /// <summary>The moderator lifted the restriction.</summary>
    public const string Lift = "lift";

    /// <summary>The moderator kept the restriction.</summary>
    public const string Uphold = "uphold";
}
