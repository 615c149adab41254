namespace Atlas.Gateway.RateLimiting;

/// <summary>How strictly inbound messages are limited; ops switch it at run time (/tier, PUT /admin/rate-limit-tier).</summary>
public enum RateLimitTier
{
    Normal,
    High,
    Crisis,
}

/// <summary>Messages per second a tier allows, per user and over all users.</summary>
public readonly record struct TierLimits(double PerUser, double Overall)
{
    public static TierLimits For(RateLimitTier tier) => tier switch
    {
        RateLimitTier.High => new(1, 10),
        RateLimitTier.Crisis => new(0.5, 5),
        _ => new(1.5, 15),
    };

    /// <summary>Parses <c>normal</c>, <c>high</c> or <c>crisis</c> (any case); false for anything else.</summary>
    public static bool TryParse(string? text, out RateLimitTier tier)
    {
        tier = RateLimitTier.Normal;
        return !string.IsNullOrWhiteSpace(text) && !int.TryParse(text, out _)
            && Enum.TryParse(text.Trim(), ignoreCase: true, out tier) && Enum.IsDefined(tier);
    }

    public static string Name(RateLimitTier tier) => tier.ToString().ToLowerInvariant();
}
