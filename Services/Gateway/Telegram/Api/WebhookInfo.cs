namespace Atlas.Gateway.Telegram.Api;

/// <summary>getWebhookInfo's answer.</summary>
public sealed record WebhookInfo
{
    public string Url { get; init; } = "";
    public bool HasCustomCertificate { get; init; }
    public int PendingUpdateCount { get; init; }
    public string? IpAddress { get; init; }
    public long? LastErrorDate { get; init; }
    public string? LastErrorMessage { get; init; }
    public int? MaxConnections { get; init; }
    public IReadOnlyList<string>? AllowedUpdates { get; init; }
}
