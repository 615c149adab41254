using System.ComponentModel.DataAnnotations;

namespace Atlas.LlmRouter.Conversation;

/// <summary><c>LlmRouter:Context</c>: how much of a conversation is remembered in Redis.</summary>
public sealed class ContextOptions
{
    public const string Section = "LlmRouter:Context";

    /// <summary>Turns kept (a question and its answer are two turns).</summary>
    [Range(0, 200)]
    public int MaxTurns { get; init; } = 10;

    /// <summary>The remembered turns sent with a question are trimmed, oldest first, to this many characters.</summary>
    [Range(0, 1_000_000)]
    public int MaxChars { get; init; } = 4000;

    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Ttl { get; init; } = TimeSpan.FromDays(1);
}

/// <summary><c>LlmRouter:Cache</c>: model answers to identical prompts, kept in Redis.</summary>
public sealed class CacheOptions
{
    public const string Section = "LlmRouter:Cache";

    public bool Enabled { get; init; } = true;

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Ttl { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary><c>LlmRouter:Quota</c>: per-user daily request and token limits (UTC days); off by default.</summary>
public sealed class QuotaOptions
{
    public const string Section = "LlmRouter:Quota";

    public bool Enabled { get; init; }

    [Range(1, 1_000_000)]
    public int RequestsPerDay { get; init; } = 200;

    [Range(1, 1_000_000_000)]
    public long TokensPerDay { get; init; } = 200_000;
}
