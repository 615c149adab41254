using System.Globalization;
using StackExchange.Redis;

namespace Atlas.Gateway.Telegram.Polling;

/// <summary>
/// The next getUpdates offset, kept in Redis under <c>gateway:polling:offset</c> so a restarted gateway neither
/// skips nor refetches a confirmed update. The stored value only ever grows.
/// </summary>
internal sealed class PollingOffsetStore(IDatabase redis)
{
    public const string Key = "gateway:polling:offset";

    private const string SaveScript = """
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1]) end
        return 1
        """;

    /// <summary>The saved offset, or null when none was saved. Throws when Redis cannot be read.</summary>
    public async Task<long?> LoadAsync()
    {
        var value = await redis.StringGetAsync(Key).ConfigureAwait(false);
        return value.HasValue && long.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : null;
    }

    /// <summary>Saves <paramref name="offset"/> unless a larger one is stored already. Throws when Redis cannot be written.</summary>
    public Task SaveAsync(long offset) => redis.ScriptEvaluateAsync(SaveScript, [Key], [offset]);
}
