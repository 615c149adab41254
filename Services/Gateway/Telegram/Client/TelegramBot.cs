using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace Atlas.Gateway.Telegram.Client;

/// <summary>
/// Telegram.Bot's <see cref="TelegramBotClient"/> at the configured Bot API base URL (Telegram, or the Sandbox), over
/// the named HttpClient <see cref="HttpClientName"/> from <see cref="IHttpClientFactory"/>: our telemetry, no request
/// logging (the URL holds the token), no shared resilience handler, and the library's own 429 retry off, so flood
/// control stays ours. A singleton: each <see cref="Client"/> takes a fresh HttpClient, so handlers rotate as they should.
/// </summary>
public sealed class TelegramBot
{
    /// <summary>The named HttpClient the Bot API is called with.</summary>
    public const string HttpClientName = "telegram";

    /// <summary>How long one call may take unless the caller says otherwise (a long poll does).</summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(30);

    private readonly IHttpClientFactory _clients;
    private readonly Lazy<TelegramBotClientOptions> _options;

    public TelegramBot(IHttpClientFactory clients, IOptions<TelegramOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clients = clients;
        _options = new Lazy<TelegramBotClientOptions>(() => new TelegramBotClientOptions(
            options.Value.BotToken, options.Value.ApiBaseUrl.GetLeftPart(UriPartial.Authority))
        {
            RetryThreshold = 0,
            RetryCount = 0,
        });
    }

    /// <summary>A client whose calls give up after <paramref name="timeout"/> (default <see cref="DefaultCallTimeout"/>).</summary>
    public ITelegramBotClient Client(TimeSpan? timeout = null)
    {
        var http = _clients.CreateClient(HttpClientName);
        http.Timeout = timeout ?? DefaultCallTimeout;
        return new TelegramBotClient(_options.Value, http);
    }
}
