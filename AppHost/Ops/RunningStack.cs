namespace Atlas.AppHost.Ops;

/// <summary>This AppHost's stack as the ops verbs see it: filled by <see cref="DiscoveryPublisher"/> once every service is healthy.</summary>
internal sealed class RunningStack(string dataRoot, long? smokeUserId, bool realTelegram, ParameterResource? webhookSecret)
{
    private StackDiscovery? _current;

    public string DataRoot { get; } = dataRoot;

    public long? SmokeUserId { get; } = smokeUserId;

    public bool RealTelegram { get; } = realTelegram;

    public ParameterResource? WebhookSecret { get; } = webhookSecret;

    public StackDiscovery? Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    public const string NotReadyReason = "The stack is not ready yet: the ops verbs wait until the gateway, backup, llmrouter and workflow are healthy.";
}
