namespace Atlas.Sandbox.Telegram.Faults;

/// <summary>
/// The control API's fault body: the next <see cref="Count"/> calls of <see cref="Method"/> ("*" for any) fail with
/// <see cref="StatusCode"/>, after <see cref="DelayMs"/>. A status of 200 only delays the call.
/// </summary>
internal sealed record FaultSpec(string Method, int StatusCode, int? RetryAfter = null, string? Description = null, int Count = 1, int? DelayMs = null)
{
    /// <summary>The first problem with this fault, or null when it is usable.</summary>
    public string? Problem() =>
        string.IsNullOrWhiteSpace(Method) ? "method is required."
        : StatusCode is not (200 or (>= 400 and <= 599)) ? "statusCode must be 200 (delay only) or 400-599."
        : Count < 1 ? "count must be 1 or more."
        : DelayMs is < 0 or > 600_000 ? "delayMs must be between 0 and 600000."
        : RetryAfter is < 0 ? "retryAfter must be 0 or more."
        : null;
}
