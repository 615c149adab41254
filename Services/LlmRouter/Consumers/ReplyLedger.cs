using System.Text.Json;
using Atlas.Contracts.Llm;
using Atlas.LlmRouter.Diagnostics;
using StackExchange.Redis;

namespace Atlas.LlmRouter.Consumers;

/// <summary>The replies already given, by MessageId (<c>llmrouter:reply:&lt;id&gt;</c>, one hour), so a redelivered request is answered the same way.</summary>
public sealed class ReplyLedger(IDatabase redis, ILogger<ReplyLedger> logger)
{
    private static readonly TimeSpan Keep = TimeSpan.FromHours(1);

    public async Task<ChatCompletionReplied?> FindAsync(string messageId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var value = await redis.StringGetAsync("llmrouter:reply:" + messageId).ConfigureAwait(false);
            return value.HasValue ? JsonSerializer.Deserialize<ChatCompletionReplied>(value.ToString()) : null;
        }
        catch (RedisException exception)
        {
            LlmRouterLog.RedisUnavailable(logger, exception, "reply ledger");
            return null;
        }
    }

    public async Task RecordAsync(string messageId, ChatCompletionReplied reply, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await redis.StringSetAsync("llmrouter:reply:" + messageId, JsonSerializer.Serialize(reply), Keep, When.NotExists).ConfigureAwait(false);
        }
        catch (RedisException exception)
        {
            LlmRouterLog.RedisUnavailable(logger, exception, "reply ledger");
        }
    }
}
