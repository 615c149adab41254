using Atlas.AppHost.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Atlas.AppHost;

/// <summary>
/// LlmRouter's model providers, its ops key and its runbook commands. Configured providers (<c>LlmRouter:Ollama:*</c>,
/// <c>LlmRouter:OpenAI:*</c> in the AppHost's configuration, the OpenAI key as <c>Parameters:openai-api-key</c>) are
/// passed through; with none configured, both surfaces point at the Sandbox's LLM stand-in. A configured
/// <c>ConnectionStrings:elasticsearch</c> is referenced, which puts the knowledge base on Elasticsearch.
/// </summary>
internal static class LlmRouterWiring
{
    /// <summary>The model the Sandbox's LLM stand-in serves (its <c>Sandbox:Llm:Model</c> default).</summary>
    public const string SandboxModel = "sandbox-echo";

    public static IResourceBuilder<ProjectResource> WithLlmProviders(this IResourceBuilder<ProjectResource> llmrouter, IDistributedApplicationBuilder builder, AtlasHostSettings settings)
    {
        var adminKey = builder.AddGeneratedSecret("llmrouter-admin-key", settings);
        llmrouter.WithEnvironment("LlmRouter__AdminApiKey", adminKey).WithRateLimitedCommands(adminKey);

        var configuration = builder.Configuration;
        if (!string.IsNullOrWhiteSpace(configuration["ConnectionStrings:elasticsearch"]))
        {
            // The knowledge base moves from PostgreSQL full-text search to this Elasticsearch node.
            llmrouter.WithReference(builder.AddConnectionString("elasticsearch"));
        }

        if (!string.IsNullOrWhiteSpace(configuration["LlmRouter:Ollama:BaseUrl"]) || !string.IsNullOrWhiteSpace(configuration["LlmRouter:OpenAI:BaseUrl"]))
        {
            foreach (var (key, value) in configuration.GetSection("LlmRouter").AsEnumerable(makePathsRelative: true)
                         .Where(e => e.Value is not null && !e.Key.EndsWith("ApiKey", StringComparison.Ordinal)))
            {
                llmrouter.WithEnvironment("LlmRouter__" + key.Replace(":", "__", StringComparison.Ordinal), value);
            }

            if (!string.IsNullOrWhiteSpace(configuration["Parameters:openai-api-key"]))
            {
                llmrouter.WithEnvironment("LlmRouter__OpenAI__ApiKey", builder.AddParameter("openai-api-key", secret: true));
            }

            return llmrouter;
        }

        if (builder.ExecutionContext.IsPublishMode)
        {
            // Deployed there is no Sandbox: the providers are named at deploy time.
            return llmrouter
                .WithEnvironment("LlmRouter__Ollama__BaseUrl", builder.AddParameter("ollama-base-url"))
                .WithEnvironment("LlmRouter__Ollama__Model", builder.AddParameter("ollama-model"))
                .WithEnvironment("LlmRouter__OpenAI__BaseUrl", builder.AddParameter("openai-base-url"))
                .WithEnvironment("LlmRouter__OpenAI__Model", builder.AddParameter("openai-model"))
                .WithEnvironment("LlmRouter__OpenAI__ApiKey", builder.AddParameter("openai-api-key", secret: true));
        }

        // The Sandbox's OpenAI surface demands this key as a bearer token, so the fallback path is exercised with one.
        var sandboxKey = builder.AddGeneratedSecret("sandbox-llm-key", settings);
        var sandbox = builder.AddSandbox(settings).WithEnvironment("Sandbox__Llm__ApiKey", sandboxKey);
        var endpoint = sandbox.GetEndpoint("http");
        return llmrouter.WithReference(sandbox).WaitFor(sandbox)
            .WithEnvironment("LlmRouter__Ollama__BaseUrl", endpoint)
            .WithEnvironment("LlmRouter__Ollama__Model", SandboxModel)
            .WithEnvironment("LlmRouter__OpenAI__BaseUrl", ReferenceExpression.Create($"{endpoint}/v1/"))
            .WithEnvironment("LlmRouter__OpenAI__Model", SandboxModel)
            .WithEnvironment("LlmRouter__OpenAI__ApiKey", sandboxKey);
    }

    /// <summary>The rate-limited switch (answers from rules only, no model calls) on and off, through the admin API.</summary>
    private static IResourceBuilder<ProjectResource> WithRateLimitedCommands(this IResourceBuilder<ProjectResource> llmrouter, IResourceBuilder<ParameterResource> adminKey)
    {
        foreach (var (name, display, enabled, description) in (ReadOnlySpan<(string, string, bool, string)>)[
                     ("rate-limited-on", "LLM: rate-limited on", true, "Answer from rules and the knowledge base only; no model provider is called."),
                     ("rate-limited-off", "LLM: rate-limited off", false, "Call the model providers again.")])
        {
            var body = enabled ? """{"enabled":true}""" : """{"enabled":false}""";
            llmrouter.WithHttpCommand("/admin/rate-limited", display, endpointName: "http", commandName: name, commandOptions: new HttpCommandOptions
            {
                Method = HttpMethod.Put,
                IconName = enabled ? "TopSpeed" : "Play",
                Description = description,
                PrepareRequest = async context =>
                {
                    context.Request.Headers.Add("X-Admin-Key", await adminKey.Resource.GetValueAsync(context.CancellationToken).ConfigureAwait(false));
                    Audit.AuditCaller.Dashboard.Apply(context.Request);
                    context.Request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
                },
            });
        }

        return llmrouter;
    }
}
