namespace Atlas.Gateway.RateLimiting;

/// <summary>How strictly inbound messages are limited; ops switch it at run time (/tier, PUT /admin/rate-limit-tier).</summary>
public enum RateLimitTier
{
    Normal,
    High,
    Crisis,
}

/// <summary>
/// Messages per second a tier allows per user and over all users (<see cref="RateLimitOptions"/>); an
/// <see cref="Overall"/> of 0 means no overall limit, only the per-user one.
/// </summary>
public sealed record TierLimits(double PerUser, double Overall)
{
    public TierLimits()
        : this(1.5, 15)
    {
    }

    public bool HasOverallLimit => Overall > 0;

    /// <summary>Parses <c>normal</c>, <c>high</c> or <c>crisis</c> (any case); false for anything else.</summary>
    public static bool TryParse(string? text, out RateLimitTier tier)
    {
        tier = RateLimitTier.Normal;
        return !string.IsNullOrWhiteSpace(text) && !int.TryParse(text, out _)
            && Enum.TryParse(text.Trim(), ignoreCase: true, out tier) && Enum.IsDefined(tier);
    }

    public static string Name(RateLimitTier tier) => tier.ToString().ToLowerInvariant();
}
