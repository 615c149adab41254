using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Telegram.Client;
using Atlas.Gateway.Telegram.Ingest;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace Atlas.Gateway.Telegram.Webhook;

/// <summary>
/// Tells Telegram where to deliver (setWebhook: url = WebhookBaseUrl + WebhookPath, the secret, allowed_updates,
/// max_connections; pending updates kept) and takes the webhook away again (deleteWebhook, pending updates kept).
/// Both retry with backoff until Telegram agrees or the caller stops them.
/// </summary>
internal sealed class WebhookRegistrar(
    TelegramBot telegram, IOptions<TelegramOptions> telegramOptions, IOptions<IngestOptions> ingestOptions, WebhookSecret secret,
    TimeProvider time, ILogger<WebhookRegistrar> logger)
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

        await RetryAsync(
            "setWebhook",
            token => telegram.Client().SetWebhook(
                url.ToString(), secretToken: secret.Value, maxConnections: _telegram.WebhookMaxConnections,
                allowedUpdates: _telegram.AllowedUpdateTypes, dropPendingUpdates: false, cancellationToken: token),
            cancellationToken).ConfigureAwait(false);
        GatewayLog.WebhookRegistered(logger, url);
    }

    public async Task RemoveAsync(CancellationToken cancellationToken)
    {
        await RetryAsync("deleteWebhook", token => telegram.Client().DeleteWebhook(dropPendingUpdates: false, token), cancellationToken)
            .ConfigureAwait(false);
        GatewayLog.WebhookRemoved(logger);
    }

    private async Task RetryAsync(string method, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        var backoff = new RetryBackoff(ingestOptions.Value);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await call(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                var delay = backoff.NextDelay(exception);
                var reason = exception.Describe();
                GatewayLog.WebhookCallFailed(logger, method, reason, delay);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
