using System.ComponentModel.DataAnnotations;

namespace Atlas.Gateway.RateLimiting;

/// <summary><c>Gateway:RateLimits</c> (alias <c>RATE_LIMIT</c> for the tier).</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Gateway:RateLimits";

    /// <summary>The tier in force until an admin switches it (the switch is kept in Redis and wins over this).</summary>
    public RateLimitTier Tier { get; init; } = RateLimitTier.Normal;

    /// <summary>A bucket holds this many seconds' worth of tokens (at least one), so short bursts pass.</summary>
    [Range(1.0, 60.0, ErrorMessage = "Gateway:RateLimits:BurstSeconds must be between 1 and 60.")]
    public double BurstSeconds { get; init; } = 2;
}
