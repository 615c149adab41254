using Atlas.Contracts.Moderation;
using Atlas.Moderation.Diagnostics;
using Atlas.Moderation.Settings;
using MassTransit;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atlas.Moderation.Admins;

/// <summary>
/// Who administers a chat: Telegram's getChatAdministrators through the gateway, cached in Redis for
/// <see cref="ModerationOptions.AdminCacheTtl"/>. Null when the gateway could not say (then admin commands are
/// ignored and no one is exempt as an admin until it can).
/// </summary>
public sealed class ChatAdminDirectory(
    IDatabase redis, IBus bus, IOptions<ModerationOptions> options, ILogger<ChatAdminDirectory> logger)
{
    // From the bus, not the container: a request client resolved there is scoped, and this class is a singleton.
    private readonly IRequestClient<ChatAdministratorsRequested> _gateway = bus.CreateRequestClient<ChatAdministratorsRequested>();

    public async Task<IReadOnlySet<long>?> AdminsOfAsync(long chatId, CancellationToken cancellationToken)
    {
        var key = (RedisKey)$"moderation:admins:{chatId}";
        var cached = await redis.StringGetAsync(key).ConfigureAwait(false);
        if (cached.HasValue)
        {
            return Parse(cached.ToString());
        }

        try
        {
            var response = await _gateway.GetResponse<ChatAdministrators>(
                new ChatAdministratorsRequested(chatId), cancellationToken, RequestTimeout.After(ms: (int)options.Value.AdminRequestTimeout.TotalMilliseconds))
                .ConfigureAwait(false);
            var admins = response.Message.UserIds;
            await redis.StringSetAsync(key, string.Join(',', admins), options.Value.AdminCacheTtl).ConfigureAwait(false);
            return admins.ToHashSet();
        }
        catch (Exception exception) when (exception is RequestTimeoutException or RequestFaultException)
        {
            ModerationLog.AdminsUnknown(logger, chatId, exception.GetType().Name);
            return null;
        }
    }

    /// <summary>Forgets the cached list (after an admin change the bot saw).</summary>
    public Task ForgetAsync(long chatId) => redis.KeyDeleteAsync($"moderation:admins:{chatId}");

    private static HashSet<long> Parse(string value) =>
        value.Length == 0 ? [] : value.Split(',').Select(v => long.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
}
