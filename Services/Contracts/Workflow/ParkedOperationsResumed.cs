namespace Atlas.Contracts.Workflow;

/// <summary>What a "Resume all" did (<see cref="Allowed"/> is false, and nothing was tried, for a non-operator).</summary>
public sealed record ParkedOperationsResumed(bool Allowed, int Applied, int StillParked, int Refused);
