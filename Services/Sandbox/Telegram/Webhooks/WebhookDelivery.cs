using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Atlas.Sandbox.Telegram.BotApi;
using Atlas.Sandbox.Telegram.Bots;
using Atlas.Sandbox.Telegram.Updates;
using Microsoft.Extensions.Options;

namespace Atlas.Sandbox.Telegram.Webhooks;

/// <summary>
/// Delivers each bot's pending updates to its webhook in the background: up to max_connections POSTs in flight, the
/// secret in <c>X-Telegram-Bot-Api-Secret-Token</c>; an update stays pending until the webhook answers 2xx. Other
/// answers, connection errors and timeouts become last_error_* and are retried after a doubling delay.
/// </summary>
internal sealed class WebhookDelivery(
    IHttpClientFactory httpClients,
    TimeProvider time,
    IOptionsMonitor<WebhookOptions> options,
    ILogger<WebhookDelivery> logger) : IHostedService, IDisposable
{
    public const string HttpClientName = "telegram-webhook";
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Starts <paramref name="workers"/> delivery loops for the webhook setting <paramref name="generation"/>; older loops stop by themselves.</summary>
    public void Start(SandboxBot bot, long generation, int workers)
    {
        for (var i = 0; i < workers; i++)
        {
            _ = Task.Run(() => WorkAsync(bot, generation), CancellationToken.None);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => _stopping.CancelAsync();

    // Only cancelled, never disposed: workers and a late StopAsync may still read the token (the host may stop after disposing).
    public void Dispose() => _stopping.Cancel();

    private async Task WorkAsync(SandboxBot bot, long generation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, bot.Lifetime);
        var cancellationToken = stop.Token;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                PendingUpdate? update;
                Uri url;
                string? secret;
                Task changed;
                TimeSpan? wait = null;
                lock (bot.Sync)
                {
                    if (bot.Webhook.Generation != generation || bot.Webhook.Url is null)
                    {
                        return;
                    }

                    var now = time.GetUtcNow();
                    url = bot.Webhook.Url;
                    secret = bot.Webhook.SecretToken;
                    changed = bot.Changed;
                    update = bot.Updates.ClaimForDelivery(now);
                    if (update is null)
                    {
                        wait = bot.Updates.NextRetryAt(now) - now;
                    }
                    else
                    {
                        bot.Webhook.InFlight++;
                        bot.Webhook.DeliveryAttempts++;
                    }
                }

                if (update is null)
                {
                    await BotWaits.WaitAsync(wait, time, cancellationToken, changed).ConfigureAwait(false);
                    continue;
                }

                var error = await DeliverAsync(url, secret, update.Json, cancellationToken).ConfigureAwait(false);
                Settle(bot, generation, update, error);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The bot was forgotten or the Sandbox is stopping.
        }
        catch (Exception exception)
        {
            logger.WebhookWorkerCrashed(exception, bot.Id);
            throw;
        }
    }

    private void Settle(SandboxBot bot, long generation, PendingUpdate update, string? error)
    {
        lock (bot.Sync)
        {
            bot.Webhook.InFlight--;
            update.InFlight = false;
            if (error is null)
            {
                bot.Updates.Remove(update);
                bot.Webhook.Delivered++;
            }
            else
            {
                update.FailedAttempts++;
                update.NextAttemptAt = time.GetUtcNow() + RetryDelay(update.FailedAttempts);
                bot.Webhook.FailedAttempts++;
                if (bot.Webhook.Generation == generation)
                {
                    bot.Webhook.LastErrorDate = time.UnixTime();
                    bot.Webhook.LastErrorMessage = error;
                }
            }

            bot.NotifyChanged();
        }

        if (error is not null)
        {
            logger.WebhookDeliveryFailed(bot.Id, update.UpdateId, error);
        }
    }

    private TimeSpan RetryDelay(int failures)
    {
        var settings = options.CurrentValue;
        var delay = settings.FirstRetryDelay * Math.Pow(2, Math.Min(failures - 1, 20));
        return delay < settings.MaxRetryDelay ? delay : settings.MaxRetryDelay;
    }

    /// <summary>POSTs one update; null on a 2xx answer, otherwise the error in Telegram's words.</summary>
    private async Task<string?> DeliverAsync(Uri url, string? secret, JsonObject update, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(update.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (secret is not null)
        {
            request.Headers.Add(SecretHeader, secret);
        }

        using var timeout = new CancellationTokenSource(options.CurrentValue.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var client = httpClients.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, linked.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? null
                : $"Wrong response from the webhook: {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return "Read timeout expired";
        }
        catch (HttpRequestException exception)
        {
            return exception switch
            {
                { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } => "Connection refused",
                { HttpRequestError: HttpRequestError.NameResolutionError } => "Failed to resolve host: Name or service not known",
                _ => $"Connection error: {exception.HttpRequestError}",
            };
        }
    }
}
