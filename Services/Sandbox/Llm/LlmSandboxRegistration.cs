using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Atlas.Sandbox.Llm;

/// <summary>Registers and maps the LLM stand-in (Ollama and OpenAI-compatible surfaces plus its control API).</summary>
internal static class LlmSandboxRegistration
{
    public static void AddLlmSandbox(this IServiceCollection services)
    {
        services.AddOptions<LlmSandboxOptions>().BindConfiguration(LlmSandboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LlmSurfaceState>();
    }

    public static void MapLlmSandbox(this IEndpointRouteBuilder app)
    {
        app.MapOllamaEndpoints();
        app.MapOpenAiEndpoints();
        app.MapLlmControlEndpoints();
    }
}
