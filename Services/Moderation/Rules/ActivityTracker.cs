using System.Globalization;
using StackExchange.Redis;

namespace Atlas.Moderation.Rules;

/// <summary>
/// A member's recent messages in a chat, in Redis: a sorted set of message ids scored by their posting time, kept for
/// <see cref="Retention"/>. Adding a message is idempotent (the id is the member), and a message's view of the past
/// is the messages up to and including itself (Telegram numbers a chat's messages in order), so a redelivered event
/// sees exactly what the first delivery saw.
/// </summary>
public sealed class ActivityTracker(IDatabase redis)
{
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan JoinedSetLifetime = TimeSpan.FromDays(1);

    /// <summary>Records the message and returns the posting times of this member's messages up to it, oldest first.</summary>
    public async Task<RecentActivity> RecordAsync(
        long chatId, long userId, long messageId, DateTimeOffset postedAt, bool countSinceJoin, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = (RedisKey)$"moderation:activity:{chatId}:{userId}";
        var seconds = postedAt.ToUnixTimeMilliseconds() / 1000.0;
        var member = (RedisValue)messageId.ToString(CultureInfo.InvariantCulture);
        var batch = redis.CreateBatch();
        _ = batch.SortedSetAddAsync(key, member, seconds);
        _ = batch.SortedSetRemoveRangeByScoreAsync(key, double.NegativeInfinity, seconds - Retention.TotalSeconds, Exclude.Stop);
        var range = batch.SortedSetRangeByScoreWithScoresAsync(key, seconds - Retention.TotalSeconds, seconds);
        _ = batch.KeyExpireAsync(key, Retention);
        Task<long>? sinceJoin = null;
        if (countSinceJoin)
        {
            var joinedKey = (RedisKey)$"moderation:since-join:{chatId}:{userId}";
            _ = batch.SetAddAsync(joinedKey, member);
            sinceJoin = batch.SetLengthAsync(joinedKey);
            _ = batch.KeyExpireAsync(joinedKey, JoinedSetLifetime);
        }

        batch.Execute();
        var entries = await range.ConfigureAwait(false);
        var times = entries
            .Select(e => (Id: long.Parse(e.Element.ToString(), CultureInfo.InvariantCulture), At: e.Score))
            .Where(e => e.Id <= messageId)
            .OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => e.At)
            .ToArray();
        return new RecentActivity(times, sinceJoin is null ? 0 : (int)await sinceJoin.ConfigureAwait(false));
    }

    /// <summary>
    /// Whether message <paramref name="messageId"/> is the one that mutes the member for this episode: the first
    /// message over the limit claims it for <paramref name="episode"/>; messages already in flight behind it (judged
    /// concurrently) are only deleted. A redelivery of the claiming message claims it again.
    /// </summary>
    public async Task<bool> ClaimMuteAsync(long chatId, long userId, long messageId, TimeSpan episode, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = (RedisKey)$"moderation:muting:{chatId}:{userId}";
        var claimant = (RedisValue)messageId.ToString(CultureInfo.InvariantCulture);
        if (await redis.StringSetAsync(key, claimant, episode, When.NotExists).ConfigureAwait(false))
        {
            return true;
        }

        return await redis.StringGetAsync(key).ConfigureAwait(false) == claimant;
    }
}

/// <summary>Posting times (Unix seconds) of a member's recent messages up to the current one, and their messages since joining.</summary>
public sealed record RecentActivity(IReadOnlyList<double> PostedAt, int MessagesSinceJoin);
