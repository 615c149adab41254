namespace Atlas.Contracts.Diagnostics;

/// <summary>The answer to <see cref="Ping"/>: which service and instance answered, and when.</summary>
public sealed record Pong(string Service, string InstanceId, string Version, DateTimeOffset AnsweredAt);
