using System.Text.Json;
using Atlas.LlmRouter.Diagnostics;
using Atlas.LlmRouter.Routing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atlas.LlmRouter.Conversation;

/// <summary>
/// The conversation context in Redis: list <c>llmrouter:context:&lt;conversationId&gt;</c> of the last turns, expiring
/// after <see cref="ContextOptions.Ttl"/>. The gateway's <c>/reset</c> starts a new conversation id, so the next
/// question begins with an empty context; <see cref="ClearAsync"/> forgets one explicitly. Without Redis the
/// question is answered without context.
/// </summary>
public sealed class ConversationStore(IDatabase redis, IOptionsMonitor<ContextOptions> options, ILogger<ConversationStore> logger)
{
    public static RedisKey KeyFor(string conversationId) => $"llmrouter:context:{conversationId}";

    /// <summary>The most recent turns, oldest first, within the turn and character budgets.</summary>
    public async Task<IReadOnlyList<ChatTurn>> LoadAsync(string conversationId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var settings = options.CurrentValue;
        if (settings.MaxTurns == 0)
        {
            return [];
        }

        RedisValue[] values;
        try
        {
            values = await redis.ListRangeAsync(KeyFor(conversationId), -settings.MaxTurns, -1).ConfigureAwait(false);
        }
        catch (RedisException exception)
        {
            LlmRouterLog.RedisUnavailable(logger, exception, "context");
            return [];
        }

        var turns = values.Select(v => JsonSerializer.Deserialize<ChatTurn>(v.ToString())).OfType<ChatTurn>().ToList();
        var budget = settings.MaxChars;
        var kept = new List<ChatTurn>();
        for (var i = turns.Count - 1; i >= 0 && turns[i].Content.Length <= budget; i--)
        {
            budget -= turns[i].Content.Length;
            kept.Insert(0, turns[i]);
        }

        return kept;
    }

    public async Task AppendAsync(string conversationId, string question, string answer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var settings = options.CurrentValue;
        if (settings.MaxTurns == 0)
        {
            return;
        }

        var key = KeyFor(conversationId);
        try
        {
            var transaction = redis.CreateTransaction();
            _ = transaction.ListRightPushAsync(key, [Serialize("user", question), Serialize("assistant", answer)]);
            _ = transaction.ListTrimAsync(key, -settings.MaxTurns, -1);
            _ = transaction.KeyExpireAsync(key, settings.Ttl);
            await transaction.ExecuteAsync().ConfigureAwait(false);
        }
        catch (RedisException exception)
        {
            LlmRouterLog.RedisUnavailable(logger, exception, "context");
        }
    }

    /// <summary>Forgets a conversation; false when Redis did not answer.</summary>
    public async Task<bool> ClearAsync(string conversationId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await redis.KeyDeleteAsync(KeyFor(conversationId)).ConfigureAwait(false);
            return true;
        }
        catch (RedisException exception)
        {
            LlmRouterLog.RedisUnavailable(logger, exception, "context");
            return false;
        }
    }

    private static RedisValue Serialize(string role, string content) => JsonSerializer.Serialize(new ChatTurn(role, content));
}
