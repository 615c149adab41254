using System.Globalization;
using System.Text.Json;
using Atlas.Moderation.Diagnostics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atlas.Moderation.Cas;

/// <summary>
/// Asks a CAS-compatible list (<c>GET check?user_id=N</c>: <c>{"ok":true,...}</c> when listed) whether a user is a
/// known spammer. Answers are cached in Redis for <see cref="CasOptions.CacheTtl"/>; a failed or slow lookup is not
/// cached and counts as "not listed", so the rules decide alone.
/// </summary>
public sealed class CasLookup(HttpClient http, IDatabase redis, IOptions<CasOptions> options, ILogger<CasLookup> logger)
{
    public async Task<bool> IsListedAsync(long userId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.BaseUrl is null)
        {
            return false;
        }

        var key = (RedisKey)$"moderation:cas:{userId}";
        var cached = await redis.StringGetAsync(key).ConfigureAwait(false);
        if (cached.HasValue)
        {
            return cached == "1";
        }

        bool listed;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(settings.Timeout);
            try
            {
                var uri = new Uri(settings.BaseUrl, "check?user_id=" + userId.ToString(CultureInfo.InvariantCulture));
                using var response = await http.GetAsync(uri, timeout.Token).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
                using var json = await JsonDocument.ParseAsync(body, cancellationToken: timeout.Token).ConfigureAwait(false);
                listed = json.RootElement.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True;
            }
            catch (Exception exception) when (exception is HttpRequestException or JsonException
                || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                ModerationLog.CasLookupFailed(logger, userId, exception is OperationCanceledException ? "timed out" : exception.GetType().Name);
                return false;
            }
        }

        await redis.StringSetAsync(key, listed ? "1" : "0", settings.CacheTtl).ConfigureAwait(false);
        return listed;
    }
}
