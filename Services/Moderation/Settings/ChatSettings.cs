namespace Atlas.Moderation.Settings;

/// <summary>
/// One chat's moderation rules, stored as JSON in <c>chat_rules.rules</c>. A chat without a row gets these defaults.
/// </summary>
public sealed record ChatSettings
{
    /// <summary>Anti-flood: more than <see cref="FloodMessages"/> messages within <see cref="FloodSeconds"/> is flooding (0: off).</summary>
    public int FloodMessages { get; init; } = 5;

    public int FloodSeconds { get; init; } = 5;

    /// <summary>How long a flooder (or a member over the rate limit) is muted.</summary>
    public TimeSpan FloodMute { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Links are deleted (and warned) unless their domain is allowed.</summary>
    public bool LockLinks { get; init; }

    public IReadOnlyList<string> AllowedDomains { get; init; } = [];

    /// <summary>Words matched case-insensitively as whole words.</summary>
    public IReadOnlyList<string> BannedWords { get; init; } = [];

    /// <summary>Regular expressions (matched with a timeout).</summary>
    public IReadOnlyList<string> BannedPatterns { get; init; } = [];

    /// <summary>A member who joined less than this long ago may not post links.</summary>
    public int NewMemberMinutes { get; init; } = 60;

    /// <summary>A member's first this many messages after joining may not contain links.</summary>
    public int NewMemberMessages { get; init; } = 3;

    /// <summary>The rate rule: a sustained rate of this many messages per minute per member ...</summary>
    public int RatePerMinute { get; init; } = 100;

    /// <summary>... with a burst of this many on top (a token bucket of this size).</summary>
    public int RateBurst { get; init; } = 20;

    public int WarnLimit { get; init; } = 3;

    /// <summary>
    /// How long a warning counts toward <see cref="WarnLimit"/>: null follows the service's
    /// <c>Moderation:WarningLifetime</c>, zero means warnings here never expire.
    /// </summary>
    public TimeSpan? WarningLifetime { get; init; }

    /// <summary>What reaching the warn limit does: <c>mute</c> or <c>ban</c>.</summary>
    public string WarnAction { get; init; } = "mute";

    /// <summary>How long the warn-limit action lasts (null: for good).</summary>
    public TimeSpan? WarnActionDuration { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Strict mode: flood limit halved and links locked for everyone but trusted members.</summary>
    public bool Strict { get; init; }

    /// <summary>Whether a suspicious message is shown to LlmRouter for a spam verdict.</summary>
    public bool LlmVerdicts { get; init; }

    /// <summary>Whether members are looked up in the CAS-compatible known-spammer list (a listed member is banned).</summary>
    public bool CasLookup { get; init; }

    /// <summary>A reason this settings value is not usable, or null.</summary>
    public string? Problem() => this switch
    {
        { FloodMessages: < 0 or > 1000 } => "FloodMessages must be between 0 and 1000.",
        { FloodSeconds: < 1 or > 3600 } => "FloodSeconds must be between 1 and 3600.",
        { WarnLimit: < 1 or > 100 } => "WarnLimit must be between 1 and 100.",
        { WarnAction: not ("mute" or "ban") } => "WarnAction must be mute or ban.",
        { RatePerMinute: < 1 }  => "RatePerMinute must be at least 1.",
        { RateBurst: < 1 } => "RateBurst must be at least 1.",
        { NewMemberMinutes: < 0 } or { NewMemberMessages: < 0 } => "New-member limits cannot be negative.",
        // Telegram keeps a restriction shorter than 30 s or longer than 366 days for good.
        _ when !IsTimedRestriction(FloodMute) => "FloodMute must be between 00:00:30 and 366.00:00:00 (Telegram keeps any other mute for good).",
        _ when WarnActionDuration is { } timed && !IsTimedRestriction(timed) =>
            "WarnActionDuration must be between 00:00:30 and 366.00:00:00, or null for good (Telegram keeps any other for good).",
        _ when WarningLifetime < TimeSpan.Zero || WarningLifetime > TimeSpan.FromDays(3650) => "WarningLifetime must be between 0 (never expire) and 3650 days.",
        _ => PatternProblem(),
    };

    private static bool IsTimedRestriction(TimeSpan duration) =>
        duration >= Commands.Durations.Shortest && duration <= Commands.Durations.Longest;

    private string? PatternProblem()
    {
        foreach (var pattern in BannedPatterns)
        {
            if (Rules.WordFilter.PatternProblem(pattern) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }
}
