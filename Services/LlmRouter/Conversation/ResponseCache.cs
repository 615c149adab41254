using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Atlas.LlmRouter.Diagnostics;
using Atlas.LlmRouter.Routing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atlas.LlmRouter.Conversation;

/// <summary>
/// Model answers to identical prompts (same language, passages, context and question), in Redis under
/// <c>llmrouter:cache:&lt;sha256&gt;</c> for <see cref="CacheOptions.Ttl"/>. Only model answers are stored: never an
/// apology, a rule-based reply or an error.
/// </summary>
public sealed class ResponseCache(IDatabase redis, IOptionsMonitor<CacheOptions> options, ILogger<ResponseCache> logger)
{
    public async Task<ChatAnswer?> GetAsync(Prompt prompt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        cancellationToken.ThrowIfCancellationRequested();
        if (!options.CurrentValue.Enabled)
        {
            return null;
        }

        try
        {
            var value = await redis.StringGetAsync(KeyFor(prompt)).ConfigureAwait(false);
            return value.HasValue ? JsonSerializer.Deserialize<ChatAnswer>(value.ToString()) is { } answer ? answer with { FromCache = true } : null : null;
        }
        catch (RedisException exception)
        {
            LlmRouterLog.RedisUnavailable(logger, exception, "cache");
            return null;
        }
    }

    public async Task SetAsync(Prompt prompt, ChatAnswer answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(answer);
        cancellationToken.ThrowIfCancellationRequested();
        var settings = options.CurrentValue;
        if (!settings.Enabled || !answer.IsModelAnswer || answer.FromCache)
        {
            return;
        }

        try
        {
            // Sent without waiting for Redis's reply: the answer is not held back for a cache entry, and the entry is
            // still written before any later command on the connection (a lookup right after it finds it).
            await redis.StringSetAsync(
                KeyFor(prompt), JsonSerializer.Serialize(answer with { InputTokens = 0, OutputTokens = 0 }), settings.Ttl, flags: CommandFlags.FireAndForget).ConfigureAwait(false);
        }
        catch (RedisException exception)
        {
            LlmRouterLog.RedisUnavailable(logger, exception, "cache");
        }
    }

    private static RedisKey KeyFor(Prompt prompt) =>
        "llmrouter:cache:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prompt.CacheText())));
}
