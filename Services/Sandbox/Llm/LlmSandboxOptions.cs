using System.ComponentModel.DataAnnotations;

namespace Atlas.Sandbox.Llm;

/// <summary>The LLM stand-in (<c>Sandbox:Llm</c>): the model it serves, its context window and an optional API key.</summary>
public sealed class LlmSandboxOptions
{
    public const string Section = "Sandbox:Llm";

    /// <summary>The one model served on both surfaces; Ollama clients may add the <c>:latest</c> tag.</summary>
    [Required]
    public string Model { get; init; } = "sandbox-echo";

    /// <summary>Prompt tokens (whitespace-separated words) above which the OpenAI surface answers context_length_exceeded.</summary>
    [Range(16, 10_000_000)]
    public int ContextWindowTokens { get; init; } = 8192;

    /// <summary>When set, the OpenAI surface demands <c>Authorization: Bearer &lt;key&gt;</c> and answers 401 otherwise.</summary>
    public string? ApiKey { get; init; }
}
