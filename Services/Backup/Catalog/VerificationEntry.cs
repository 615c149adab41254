namespace Atlas.Backup.Catalog;

/// <summary>One verification of a backup: when, why (<c>after-backup</c>, <c>schedule</c>, <c>manual</c>), the outcome and its detail.</summary>
public sealed record VerificationEntry(DateTimeOffset VerifiedAt, string Trigger, string Status, string Detail);
