using Atlas.Gateway.Telegram.Token;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace Atlas.Gateway.Telegram.Client;

/// <summary>
/// Telegram.Bot's <see cref="TelegramBotClient"/> at the configured Bot API base URL (Telegram, or the Sandbox), over
/// the named HttpClient <see cref="HttpClientName"/> from <see cref="IHttpClientFactory"/>: our telemetry, no request
/// logging (the URL holds the token), no shared resilience handler, and the library's own 429 retry off, so flood
/// control stays ours. A singleton: each <see cref="Client(TimeSpan?)"/> takes a fresh HttpClient, so handlers rotate as they should,
/// and the bot token of the moment (<see cref="BotTokenSource"/>), so a rotated token applies from the next call on.
/// </summary>
public sealed class TelegramBot
{
    /// <summary>The named HttpClient the Bot API is called with.</summary>
    public const string HttpClientName = "telegram";

    /// <summary>How long one call may take unless the caller says otherwise (a long poll does).</summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(30);

    private readonly IHttpClientFactory _clients;
    private readonly BotTokenSource _tokens;
    private readonly string _baseUrl;
    private TelegramBotClientOptions? _options;

    public TelegramBot(IHttpClientFactory clients, IOptions<TelegramOptions> options, BotTokenSource tokens)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clients = clients;
        _tokens = tokens;
        _baseUrl = options.Value.ApiBaseUrl.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>A client whose calls give up after <paramref name="timeout"/> (default <see cref="DefaultCallTimeout"/>).</summary>
    public ITelegramBotClient Client(TimeSpan? timeout = null)
    {
        var token = _tokens.Current;
        var options = Volatile.Read(ref _options);
        if (options is null || options.Token != token)
        {
            options = OptionsFor(token);
            Volatile.Write(ref _options, options);
        }

        return Create(options, timeout);
    }

    /// <summary>A client for <paramref name="token"/> rather than the current one (a rotation tries the new token with it).</summary>
    internal ITelegramBotClient Client(string token, TimeSpan? timeout) => Create(OptionsFor(token), timeout);

    private TelegramBotClient Create(TelegramBotClientOptions options, TimeSpan? timeout)
    {
        var http = _clients.CreateClient(HttpClientName);
        http.Timeout = timeout ?? DefaultCallTimeout;
        return new TelegramBotClient(options, http);
    }

    private TelegramBotClientOptions OptionsFor(string token) => new(token, _baseUrl)
    {
        RetryThreshold = 0,
        RetryCount = 0,
    };
}
