using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atlas.Gateway.State;

/// <summary>
/// A user's conversation state in Redis: hash <c>gateway:state:user:&lt;userId&gt;</c> (field <c>conversation_id</c>:
/// the LlmRouter conversation the user's free text belongs to), expiring <see cref="StateOptions.ConversationTtl"/>
/// after the last message. Every call says whether Redis answered so
/// handlers can degrade (and tell the user) instead of failing.
/// </summary>
public sealed class ConversationStore(RedisGuard redis, IOptions<StateOptions> options)
{
    private const string ConversationField = "conversation_id";

    public static RedisKey KeyFor(long userId) => $"gateway:state:user:{userId}";

    /// <summary>Whether the state store is reachable right now.</summary>
    public bool IsAvailable => redis.IsAvailable;

    /// <summary>
    /// The user's current conversation id, starting one when there is none. Without Redis the id is a one-off
    /// (<paramref name="fallbackSeed"/>), so the LLM answers without memory.
    /// </summary>
    public async Task<(bool Available, string ConversationId)> GetOrStartConversationAsync(
        long userId, string fallbackSeed, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = KeyFor(userId);
        var fresh = $"conv-{userId}-{Guid.NewGuid():N}";
        var ttl = options.Value.ConversationTtl;
        var (available, id) = await redis.TryAsync(
            "conversation",
            async db =>
            {
                // HSETNX keeps an existing conversation; the read afterwards returns whichever id won.
                await db.HashSetAsync(key, ConversationField, fresh, When.NotExists).ConfigureAwait(false);
                var current = await db.HashGetAsync(key, ConversationField).ConfigureAwait(false);
                await db.KeyExpireAsync(key, ttl).ConfigureAwait(false);
                return current.HasValue ? current.ToString() : fresh;
            },
            $"conv-{userId}-{fallbackSeed}").ConfigureAwait(false);
        return (available, id);
    }

    /// <summary>Forgets everything about the user's conversation; false without Redis.</summary>
    public Task<bool> ResetAsync(long userId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return redis.TryAsync("state-reset", db => db.KeyDeleteAsync(KeyFor(userId)));
    }
}
