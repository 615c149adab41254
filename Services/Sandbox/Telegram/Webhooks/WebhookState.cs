namespace Atlas.Sandbox.Telegram.Webhooks;

/// <summary>One bot's webhook: where updates go and how delivery went. Not thread-safe: the owning bot's lock guards it.</summary>
internal sealed class WebhookState
{
    public const int DefaultMaxConnections = 40;

    /// <summary>The webhook URL, or null when the bot uses getUpdates.</summary>
    public Uri? Url { get; private set; }

    public string? SecretToken { get; private set; }

    public int MaxConnections { get; private set; } = DefaultMaxConnections;

    /// <summary>Changes whenever the webhook is set or deleted, so delivery workers of an older setting stop.</summary>
    public long Generation { get; private set; }

    public long? LastErrorDate { get; set; }

    public string? LastErrorMessage { get; set; }

    public long DeliveryAttempts { get; set; }

    public long Delivered { get; set; }

    public long FailedAttempts { get; set; }

    public int InFlight { get; set; }

    public bool IsSet => Url is not null;

    public void Set(Uri url, string? secretToken, int maxConnections)
    {
        Url = url;
        SecretToken = secretToken;
        MaxConnections = maxConnections;
        Generation++;
    }

    public void Delete()
    {
        Url = null;
        SecretToken = null;
        MaxConnections = DefaultMaxConnections;
        LastErrorDate = null;
        LastErrorMessage = null;
        Generation++;
    }
}
