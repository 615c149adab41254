namespace Atlas.Contracts.Diagnostics;

/// <summary>Asks one service to prove it is on the bus. Sent to the service's own ping endpoint.</summary>
public sealed record Ping(string RequestedBy, DateTimeOffset SentAt);
