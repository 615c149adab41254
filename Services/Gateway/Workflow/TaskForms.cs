using Atlas.Gateway.State;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atlas.Gateway.Workflow;

/// <summary>
/// The completion form an operator opened by pressing Complete: key <c>gateway:workflow:form:&lt;userId&gt;</c> holds the
/// task key, expiring after <see cref="StateOptions.TaskFormTtl"/>. It stays until the answer reached Workflow, so a
/// malformed answer or an unanswered request loses nothing.
/// </summary>
public sealed class TaskForms(RedisGuard redis, IOptions<StateOptions> options)
{
    public static RedisKey KeyFor(long userId) => $"gateway:workflow:form:{userId}";

    public TimeSpan Ttl => options.Value.TaskFormTtl;

    /// <summary>Opens (or replaces) the user's form for <paramref name="taskKey"/>; false without Redis.</summary>
    public Task<bool> OpenAsync(long userId, string taskKey, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return redis.TryAsync("task-form", db => db.StringSetAsync(KeyFor(userId), taskKey, Ttl));
    }

    /// <summary>The task the user's open form is for; null when none is open (or Redis is down).</summary>
    public async Task<string?> PendingAsync(long userId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (_, taskKey) = await redis.TryAsync<string?>("task-form", async db => await db.StringGetAsync(KeyFor(userId)).ConfigureAwait(false), null)
            .ConfigureAwait(false);
        return taskKey;
    }

    /// <summary>Closes the user's form, if it is still the one for <paramref name="taskKey"/>.</summary>
    public Task<bool> CloseAsync(long userId, string taskKey, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return redis.TryAsync("task-form", db => db.ScriptEvaluateAsync(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
            [KeyFor(userId)], [taskKey]));
    }
}
