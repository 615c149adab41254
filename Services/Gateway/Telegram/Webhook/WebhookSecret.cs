using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Telegram.Webhook;

/// <summary>
/// Checks <c>X-Telegram-Bot-Api-Secret-Token</c> against the webhook secret in constant time (for a given length),
/// without allocating. The secret is <see cref="TelegramOptions.WebhookSecret"/>; without one this process makes its
/// own (setWebhook is called at every start, so Telegram always has the current one), so the endpoint is never
/// open to anyone who learns its URL. Several instances behind one URL need the configured secret.
/// </summary>
internal sealed class WebhookSecret(IOptions<TelegramOptions> options)
{
    public const string HeaderName = "X-Telegram-Bot-Api-Secret-Token";

    private readonly string _expected = string.IsNullOrEmpty(options.Value.WebhookSecret) ? Generate() : options.Value.WebhookSecret;

    /// <summary>True when the secret comes from configuration rather than from this process.</summary>
    public bool IsConfigured { get; } = !string.IsNullOrEmpty(options.Value.WebhookSecret);

    /// <summary>The secret Telegram is given in setWebhook.</summary>
    public string Value => _expected;

    public bool Matches(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Headers.TryGetValue(HeaderName, out var values) || values.Count != 1 || values[0] is not { } given)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            MemoryMarshal.AsBytes(given.AsSpan()), MemoryMarshal.AsBytes(_expected.AsSpan()));
    }

    private static string Generate() => RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", 64);
}
