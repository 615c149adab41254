using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Atlas.LlmRouter.Diagnostics;
using Atlas.LlmRouter.Routing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Atlas.LlmRouter.Conversation;

/// <summary>
/// Model answers to identical prompts (same language, context, question and passages) for <see cref="CacheOptions.Ttl"/>.
/// An answer is filed in Redis under <c>llmrouter:answer:&lt;sha256 of language, context and question&gt;</c> together
/// with the digest of its prompt's passages, and serves only a prompt with the same passages: the lookup needs no
/// passages, so it runs beside the knowledge search instead of after it, and a knowledge-base change that alters what a
/// question finds still misses (the new answer then replaces the old one). Only model answers are stored: never an
/// apology, a rule-based reply or an error.
/// </summary>
public sealed class ResponseCache(IDatabase redis, IOptionsMonitor<CacheOptions> options, ILogger<ResponseCache> logger)
{
    /// <summary>The answer filed under this language, context and question, whatever its passages were; null on a miss, when off, or when Redis fails.</summary>
    public async Task<CachedAnswer?> LookUpAsync(string? languageCode, IReadOnlyList<ChatTurn> history, string question, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!options.CurrentValue.Enabled)
        {
            return null;
        }

        try
        {
            var value = await redis.StringGetAsync(KeyFor(languageCode, history, question)).ConfigureAwait(false);
            return value.HasValue ? JsonSerializer.Deserialize<CachedAnswer>(value.ToString()) : null;
        }
        catch (RedisException exception)
        {
            LlmRouterLog.RedisUnavailable(logger, exception, "cache");
            return null;
        }
        catch (JsonException exception)
        {
            // An entry this version cannot read (written by another one) is a miss; the next answer replaces it.
            LlmRouterLog.CacheEntryUnreadable(logger, exception.Message);
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
            var entry = new CachedAnswer(CachedAnswer.Digest(prompt), answer with { InputTokens = 0, OutputTokens = 0 });
            await redis.StringSetAsync(
                KeyFor(prompt.LanguageCode, prompt.History, prompt.Question), JsonSerializer.Serialize(entry), settings.Ttl,
                flags: CommandFlags.FireAndForget).ConfigureAwait(false);
        }
        catch (RedisException exception)
        {
            LlmRouterLog.RedisUnavailable(logger, exception, "cache");
        }
    }

    /// <summary>Where an answer to this language, context and question is filed.</summary>
    internal static RedisKey KeyFor(string? languageCode, IReadOnlyList<ChatTurn> history, string question) =>
        "llmrouter:answer:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Prompt.CacheKeyText(languageCode, history, question))));
}

/// <summary>A cached answer and the digest of the passages (the system text) of the prompt it answered.</summary>
public sealed record CachedAnswer(string PassagesDigest, ChatAnswer Answer)
{
    /// <summary>The answer, marked as from the cache, when the prompt's passages are those it was given; otherwise null.</summary>
    public ChatAnswer? For(Prompt prompt) =>
        Answer is not null && string.Equals(PassagesDigest, Digest(prompt), StringComparison.Ordinal) ? Answer with { FromCache = true } : null;

    public static string Digest(Prompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prompt.PassagesText())));
    }
}
