using System.ComponentModel.DataAnnotations;

namespace Atlas.LlmRouter.Routing;

/// <summary><c>LlmRouter</c>: the whole-request deadline, the rate-limited switch, telemetry of prompt text and the ops key.</summary>
public sealed class RoutingOptions
{
    public const string Section = "LlmRouter";

    /// <summary>Within this time every request gets an answer (a rule-based one or an apology at worst).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Time kept back from the deadline for the rule-based answer or the apology.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan AnswerReserve { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Start value of the rate-limited switch (also <c>LLM_RATE_LIMITED=true</c>); the admin API changes it at run time.</summary>
    public bool RateLimited { get; init; }

    /// <summary>Put prompt and answer text on GenAI spans. Off: spans carry sizes, models and token counts only.</summary>
    public bool RecordPromptText { get; init; }

    /// <summary>The <c>X-Admin-Key</c> for <c>/admin</c>; without it the admin API answers 403.</summary>
    public string? AdminApiKey { get; init; }
}

/// <summary><c>LlmRouter:Grounding</c>: how many knowledge passages go into the prompt.</summary>
public sealed class GroundingOptions
{
    public const string Section = "LlmRouter:Grounding";

    [Range(0, 10)]
    public int Passages { get; init; } = 3;

    [Range(50, 10_000)]
    public int MaxPassageChars { get; init; } = 600;

    /// <summary>A knowledge search slower than this is given up and the question goes out ungrounded.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan SearchTimeout { get; init; } = TimeSpan.FromSeconds(2);
}
