using System.ComponentModel.DataAnnotations;

namespace Atlas.Gateway.RateLimiting;

/// <summary><c>Gateway:RateLimits</c> (alias <c>RATE_LIMIT</c> for the tier), with each tier's numbers.</summary>
public sealed class RateLimitOptions : IValidatableObject
{
    public const string SectionName = "Gateway:RateLimits";

    /// <summary>The tier in force until an admin switches it (the switch is kept in Redis and wins over this).</summary>
    public RateLimitTier Tier { get; init; } = RateLimitTier.Normal;

    /// <summary>A bucket holds this many seconds' worth of tokens (at least one), so short bursts pass.</summary>
    [Range(1.0, 60.0, ErrorMessage = "Gateway:RateLimits:BurstSeconds must be between 1 and 60.")]
    public double BurstSeconds { get; init; } = 2;

    /// <summary><c>Gateway:RateLimits:Normal</c>: the everyday limits.</summary>
    public TierLimits Normal { get; init; } = new(1.5, 15);

    /// <summary><c>Gateway:RateLimits:High</c>: under load.</summary>
    public TierLimits High { get; init; } = new(1, 10);

    /// <summary><c>Gateway:RateLimits:Crisis</c>: under attack.</summary>
    public TierLimits Crisis { get; init; } = new(0.5, 5);

    /// <summary>The numbers of <paramref name="tier"/>.</summary>
    public TierLimits LimitsFor(RateLimitTier tier) => tier switch
    {
        RateLimitTier.High => High,
        RateLimitTier.Crisis => Crisis,
        _ => Normal,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var tier in Enum.GetValues<RateLimitTier>())
        {
            var limits = LimitsFor(tier);
            var section = $"{SectionName}:{tier}";
            if (limits.PerUser is not (> 0 and <= 1000))
            {
                yield return new ValidationResult($"{section}:PerUser must be more than 0 and at most 1000 messages per second.", [tier.ToString()]);
            }

            if (limits.Overall is not (>= 0 and <= 1_000_000))
            {
                yield return new ValidationResult($"{section}:Overall must be 0 (no overall limit) to 1000000 messages per second.", [tier.ToString()]);
            }
        }
    }
}
