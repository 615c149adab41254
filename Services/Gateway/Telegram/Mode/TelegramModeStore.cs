using StackExchange.Redis;

namespace Atlas.Gateway.Telegram.Mode;

/// <summary>
/// The mode chosen at run time, kept in Redis under <c>gateway:telegram:mode</c>. When present it overrides
/// <c>Telegram:Mode</c>, so a switch made through the ops API survives a restart.
/// </summary>
internal sealed class TelegramModeStore(IDatabase redis)
{
    public const string Key = "gateway:telegram:mode";

    /// <summary>The stored mode, or null when none is stored (or it is not a mode). Throws when Redis cannot be read.</summary>
    public async Task<TelegramMode?> LoadAsync()
    {
        var value = await redis.StringGetAsync(Key).ConfigureAwait(false);
        return value.HasValue && Enum.TryParse<TelegramMode>(value.ToString(), ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : null;
    }

    /// <summary>Stores <paramref name="mode"/>. Throws when Redis cannot be written.</summary>
    public Task SaveAsync(TelegramMode mode) => redis.StringSetAsync(Key, mode.ToString());
}
