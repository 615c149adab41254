namespace Atlas.Sandbox.Llm;

/// <summary>
/// A switch for one surface (<c>ollama</c> or <c>openai</c>), set by tests and drills through the control API.
/// <see cref="Kind"/>: <c>fail</c> (answer <see cref="Status"/>, 500 by default, with <see cref="Message"/> and, if given,
/// Retry-After),
/// <c>rateLimit</c> (429 with <c>Retry-After: </c><see cref="RetryAfterSeconds"/>), <c>hang</c> (never answer until the
/// caller gives up) or <c>slow</c> (answer normally after <see cref="DelayMs"/>). <see cref="Times"/> limits how many
/// requests it hits; absent means until cleared.
/// </summary>
public sealed record LlmFault(string Kind, int? Status = null, string? Message = null, int? RetryAfterSeconds = null, int? DelayMs = null, int? Times = null)
{
    public static readonly IReadOnlyList<string> Kinds = ["fail", "rateLimit", "hang", "slow"];

    /// <summary>What is wrong with this switch, or null when it can be applied.</summary>
    public string? Problem() => Kind switch
    {
        _ when !Kinds.Contains(Kind) => $"kind must be one of {string.Join(", ", Kinds)}.",
        "fail" when Status is < 400 or > 599 => "status must be an HTTP error code (400-599).",
        not "hang" and not "slow" when RetryAfterSeconds is < 0 => "retryAfterSeconds must not be negative.",
        "slow" when DelayMs is null or < 0 => "slow needs delayMs >= 0.",
        _ when Times is <= 0 => "times must be positive when given.",
        _ => null,
    };
}
