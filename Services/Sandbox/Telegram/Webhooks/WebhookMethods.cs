using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Atlas.Sandbox.Telegram.BotApi;
using Atlas.Sandbox.Telegram.Bots;

namespace Atlas.Sandbox.Telegram.Webhooks;

/// <summary>
/// setWebhook, deleteWebhook and getWebhookInfo. Unlike Telegram, which requires HTTPS on ports 443, 80, 88 or 8443,
/// the Sandbox also accepts http:// URLs on any port, so a gateway running locally can receive updates.
/// </summary>
internal sealed partial class WebhookMethods(WebhookDelivery delivery) : IBotApiMethodSet
{
    public IEnumerable<BotApiMethod> Methods =>
    [
        new("setWebhook", SetWebhookAsync),
        new("deleteWebhook", DeleteWebhookAsync),
        new("getWebhookInfo", GetWebhookInfoAsync),
    ];

    private Task<BotApiResult> SetWebhookAsync(BotApiCall call, CancellationToken cancellationToken)
    {
        var url = call.Text("url") ?? "";
        if (url.Length == 0)
        {
            return DeleteWebhookAsync(call, cancellationToken);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return Answer(BotApiResult.BadRequest("invalid webhook URL specified"));
        }

        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            return Answer(BotApiResult.BadRequest("bad webhook: An HTTPS URL must be provided for webhook"));
        }

        var secret = call.Text("secret_token");
        if (secret is not null && !SecretTokenShape().IsMatch(secret))
        {
            return Answer(BotApiResult.BadRequest("secret token contains unallowed characters"));
        }

        var maxConnections = (int)Math.Clamp(call.Long("max_connections") ?? WebhookState.DefaultMaxConnections, 1, 100);
        var bot = call.Bot;
        long generation;
        string description;
        lock (bot.Sync)
        {
            var unchanged = bot.Webhook.Url == uri && bot.Webhook.SecretToken == secret && bot.Webhook.MaxConnections == maxConnections;
            description = unchanged ? "Webhook is already set" : "Webhook was set";
            if (call.Parameters["allowed_updates"] is JsonArray allowed)
            {
                bot.Updates.AllowedUpdates = allowed.Select(a => a!.GetValue<string>()).ToList();
            }

            if (call.Flag("drop_pending_updates"))
            {
                bot.Updates.Clear();
            }

            bot.Webhook.Set(uri, secret, maxConnections);
            generation = bot.Webhook.Generation;
            bot.NotifyChanged();
        }

        delivery.Start(bot, generation, maxConnections);
        return Answer(BotApiResult.True(description));
    }

    private static Task<BotApiResult> DeleteWebhookAsync(BotApiCall call, CancellationToken cancellationToken)
    {
        var bot = call.Bot;
        lock (bot.Sync)
        {
            if (call.Flag("drop_pending_updates"))
            {
                bot.Updates.Clear();
            }

            var wasSet = bot.Webhook.IsSet;
            if (wasSet)
            {
                bot.Webhook.Delete();
            }

            bot.NotifyChanged();
            return Answer(BotApiResult.True(wasSet ? "Webhook was deleted" : "Webhook is already deleted"));
        }
    }

    private static Task<BotApiResult> GetWebhookInfoAsync(BotApiCall call, CancellationToken cancellationToken)
    {
        var bot = call.Bot;
        lock (bot.Sync)
        {
            var webhook = bot.Webhook;
            var info = new JsonObject
            {
                ["url"] = webhook.Url?.OriginalString ?? "",
                ["has_custom_certificate"] = false,
                ["pending_update_count"] = bot.Updates.Count,
            };
            info.Set("last_error_date", webhook.LastErrorDate is { } date ? JsonValue.Create(date) : null)
                .SetText("last_error_message", webhook.LastErrorMessage);
            if (webhook.IsSet)
            {
                info["max_connections"] = webhook.MaxConnections;
                if (bot.Updates.AllowedUpdates is { Count: > 0 } allowed)
                {
                    info["allowed_updates"] = new JsonArray([.. allowed.Select(a => JsonValue.Create(a))]);
                }
            }

            return Answer(BotApiResult.Success(info));
        }
    }

    private static Task<BotApiResult> Answer(BotApiResult result) => Task.FromResult(result);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretTokenShape();
}
