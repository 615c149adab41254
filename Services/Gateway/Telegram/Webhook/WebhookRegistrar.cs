using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Telegram.Resilience;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace Atlas.Gateway.Telegram.Webhook;

/// <summary>
/// Tells Telegram where to deliver (setWebhook: url = WebhookBaseUrl + WebhookPath, the secret, allowed_updates,
/// max_connections; pending updates kept) and takes the webhook away again (deleteWebhook, pending updates kept).
/// Both retry through <see cref="TelegramResilience"/> until Telegram agrees or the caller stops them.
/// </summary>
internal sealed class WebhookRegistrar(
    TelegramResilience telegram, IOptions<TelegramOptions> telegramOptions, WebhookSecret secret, ILogger<WebhookRegistrar> logger)
{
    private readonly TelegramOptions _telegram = telegramOptions.Value;

    /// <summary>The URL Telegram is given, or null when no WebhookBaseUrl is configured.</summary>
    public Uri? WebhookUrl => _telegram.WebhookBaseUrl is { } baseUrl
        ? new Uri(baseUrl.ToString().TrimEnd('/') + TelegramOptions.WebhookPath)
        : null;

    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        var url = WebhookUrl ?? throw new InvalidOperationException("Telegram:WebhookBaseUrl is required for webhook mode.");
        if (!secret.IsConfigured)
        {
            GatewayLog.WebhookWithoutSecret(logger);
        }

        await telegram.ExecuteAsync(
            "setWebhook",
            TelegramRetry.UntilStopped,
            (client, token) => client.SetWebhook(
                url.ToString(), secretToken: secret.Value, maxConnections: _telegram.WebhookMaxConnections,
                allowedUpdates: _telegram.AllowedUpdateTypes, dropPendingUpdates: false, cancellationToken: token),
            cancellationToken).ConfigureAwait(false);
        GatewayLog.WebhookRegistered(logger, url);
    }

    public async Task RemoveAsync(CancellationToken cancellationToken)
    {
        await telegram.ExecuteAsync(
            "deleteWebhook", TelegramRetry.UntilStopped, (client, token) => client.DeleteWebhook(dropPendingUpdates: false, token), cancellationToken)
            .ConfigureAwait(false);
        GatewayLog.WebhookRemoved(logger);
    }
}
