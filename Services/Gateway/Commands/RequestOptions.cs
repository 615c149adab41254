using System.ComponentModel.DataAnnotations;

namespace Atlas.Gateway.Commands;

/// <summary>
/// <c>Gateway:Requests</c>: how long the gateway waits for LlmRouter and Workflow before telling the user the
/// service is temporarily unavailable.
/// </summary>
public sealed class RequestOptions
{
    public const string SectionName = "Gateway:Requests";

    /// <summary>How long an LLM answer is waited for at all; one that comes after <see cref="AnswerDeadline"/> is delivered marked as late.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Gateway:Requests:ChatTimeout must be between 1 s and 10 min.")]
    public TimeSpan ChatTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>How long a user waits for an LLM answer before being told politely that it is taking too long.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Gateway:Requests:AnswerDeadline must be between 1 s and 10 min.")]
    public TimeSpan AnswerDeadline { get; init; } = TimeSpan.FromSeconds(20);

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Gateway:Requests:SearchTimeout must be between 1 s and 10 min.")]
    public TimeSpan SearchTimeout { get; init; } = TimeSpan.FromSeconds(20);

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Gateway:Requests:TasksTimeout must be between 1 s and 10 min.")]
    public TimeSpan TasksTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How many knowledge-base hits /search shows.</summary>
    [Range(1, 20)]
    public int SearchLimit { get; init; } = 5;

    /// <summary>How often the "typing…" chat action is repeated while the LLM thinks (Telegram shows it for 5 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:00:05")]
    public TimeSpan TypingInterval { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// How long this process's claim on the answers it owes outlives it: after a crash, another gateway (or this one
    /// restarted) tells their users the answer is not coming once this has passed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "Gateway:Requests:PendingAnswerLease must be between 1 s and 5 min.")]
    public TimeSpan PendingAnswerLease { get; init; } = TimeSpan.FromSeconds(15);
}
