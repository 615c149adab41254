using System.Globalization;
using StackExchange.Redis;

namespace Atlas.Gateway.Outbound;

/// <summary>Chats claimed from a lane's schedule, and when the next one on it is due (null when none is scheduled).</summary>
internal sealed record DueChats(IReadOnlyList<long> Chats, DateTimeOffset? NextDue)
{
    /// <summary>Runs <see cref="OutboundScripts.Claim"/> on the schedule <paramref name="due"/>: one round trip for both answers.</summary>
    public static async Task<DueChats> ClaimAsync(IDatabase redis, RedisKey due, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        var result = await redis.ScriptEvaluateAsync(
            OutboundScripts.Claim, [due], [now.ToUnixTimeMilliseconds(), (now + lease).ToUnixTimeMilliseconds(), max])
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        var parts = (RedisResult[])result!;
        var ids = (RedisValue[]?)parts[0] ?? [];
        var next = parts[1].IsNull ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds((long)double.Parse(parts[1].ToString(), CultureInfo.InvariantCulture));
        return new DueChats([.. ids.Select(id => long.Parse(id.ToString(), CultureInfo.InvariantCulture))], next);
    }
}
