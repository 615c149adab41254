namespace Atlas.Sandbox.Llm;

/// <summary>
/// A reply a test scripts for one surface: when the last user message contains <see cref="WhenContains"/> (ordinal,
/// case-sensitive; absent matches every request) the model answers <see cref="Reply"/> instead of its labelled echo,
/// in the surface's normal shape (streamed or not, with usage). The first matching script wins; faults still apply first.
/// </summary>
public sealed record LlmScriptedReply(string Reply, string? WhenContains = null)
{
    public const int MaxReplyLength = 10_000;

    /// <summary>What is wrong with this script, or null when it can be used.</summary>
    public string? Problem() => Reply switch
    {
        null or { Length: 0 } => "reply must not be empty.",
        { Length: > MaxReplyLength } => $"reply must be at most {MaxReplyLength} characters.",
        _ when WhenContains is { Length: 0 } => "whenContains must not be empty when given.",
        _ => null,
    };

    public bool Matches(string lastUserMessage) => WhenContains is null || lastUserMessage.Contains(WhenContains, StringComparison.Ordinal);
}
