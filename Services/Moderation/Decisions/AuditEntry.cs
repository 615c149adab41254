namespace Atlas.Moderation.Decisions;

/// <summary>
/// One audit row: who or what acted (<see cref="Actor"/>: <c>rule</c>, <c>admin:&lt;id&gt;</c>, <c>ops</c>), what was done
/// (<see cref="Action"/>: a Telegram action, <c>Warn</c> or <c>Settings</c>), to whom, under which rule and why.
/// </summary>
public sealed record AuditEntry(
    string Action,
    long ChatId,
    long UserId,
    long? MessageId,
    DateTimeOffset? Until,
    string Rule,
    string Actor,
    IReadOnlyList<string> Reasons,
    string? Excerpt);
