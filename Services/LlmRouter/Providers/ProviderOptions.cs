using System.ComponentModel.DataAnnotations;

namespace Atlas.LlmRouter.Providers;

/// <summary>
/// One model endpoint (<c>LlmRouter:Ollama</c> or <c>LlmRouter:OpenAI</c>). A provider without a base URL is not
/// configured and is skipped. Keys and base URLs reload without a restart.
/// </summary>
public abstract class ProviderOptions
{
    /// <summary>Ollama's root (http://host:11434) or an OpenAI-compatible API root including <c>/v1</c>.</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>The model to ask; a configured provider needs one.</summary>
    public string Model { get; init; } = "";

    /// <summary>How long one attempt may take before the next provider is tried.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>How much prompt (in characters) the model takes; older conversation turns are dropped to fit.</summary>
    [Range(200, 10_000_000)]
    public int ContextWindowChars { get; init; } = 16_000;

    public bool IsConfigured => BaseUrl is not null && !string.IsNullOrWhiteSpace(Model);

    /// <summary>A base URL without a model is a configuration mistake, reported at start with its path.</summary>
    protected IEnumerable<ValidationResult> ModelProblems(string section)
    {
        if (BaseUrl is not null && string.IsNullOrWhiteSpace(Model))
        {
            yield return new ValidationResult($"{section}:Model is required when {section}:BaseUrl is set.", [nameof(Model)]);
        }

        if (BaseUrl is { IsAbsoluteUri: false })
        {
            yield return new ValidationResult($"{section}:BaseUrl must be an absolute http(s) URL.", [nameof(BaseUrl)]);
        }
    }
}

/// <summary><c>LlmRouter:Ollama</c>: the first provider.</summary>
public sealed class OllamaOptions : ProviderOptions, IValidatableObject
{
    public const string Section = "LlmRouter:Ollama";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => ModelProblems(Section);
}

/// <summary><c>LlmRouter:OpenAI</c>: any OpenAI-compatible endpoint; <see cref="ApiKey"/> goes out as a bearer token.</summary>
public sealed class OpenAiOptions : ProviderOptions, IValidatableObject
{
    public const string Section = "LlmRouter:OpenAI";

    public string? ApiKey { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => ModelProblems(Section);
}

/// <summary><c>LlmRouter:Retry</c>: retries of one provider on 5xx, honouring Retry-After when it fits the budget.</summary>
public sealed class RetryOptions
{
    public const string Section = "LlmRouter:Retry";

    [Range(0, 5)]
    public int MaxRetries { get; init; } = 1;

    /// <summary>A retry waits Retry-After (or <see cref="DefaultDelay"/>) only when that is at most this long.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan Budget { get; init; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan DefaultDelay { get; init; } = TimeSpan.FromMilliseconds(200);
}

/// <summary><c>LlmRouter:Circuit</c>: a provider failing <see cref="AllowedFails"/> times within <see cref="Window"/> cools down.</summary>
public sealed class CircuitOptions
{
    public const string Section = "LlmRouter:Circuit";

    [Range(1, 1000)]
    public int AllowedFails { get; init; } = 3;

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(60);

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromSeconds(5);
}
