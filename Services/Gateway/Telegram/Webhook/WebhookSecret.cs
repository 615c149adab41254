using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Telegram.Webhook;

/// <summary>
/// Checks <c>X-Telegram-Bot-Api-Secret-Token</c> against <see cref="TelegramOptions.WebhookSecret"/> in constant time
/// (for a given length), without allocating. With no secret configured every request passes.
/// </summary>
internal sealed class WebhookSecret(IOptions<TelegramOptions> options)
{
    public const string HeaderName = "X-Telegram-Bot-Api-Secret-Token";

    private readonly string? _expected = string.IsNullOrEmpty(options.Value.WebhookSecret) ? null : options.Value.WebhookSecret;

    public bool IsConfigured => _expected is not null;

    public bool Matches(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_expected is null)
        {
            return true;
        }

        if (!request.Headers.TryGetValue(HeaderName, out var values) || values.Count != 1 || values[0] is not { } given)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            MemoryMarshal.AsBytes(given.AsSpan()), MemoryMarshal.AsBytes(_expected.AsSpan()));
    }
}
