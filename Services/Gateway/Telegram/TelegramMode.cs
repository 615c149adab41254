namespace Atlas.Gateway.Telegram;

/// <summary>How updates reach the gateway.</summary>
public enum TelegramMode
{
    /// <summary>The gateway long-polls getUpdates (default; works behind NAT).</summary>
    Polling,

    /// <summary>Telegram POSTs each update to the gateway's webhook endpoint.</summary>
    Webhook,
}
