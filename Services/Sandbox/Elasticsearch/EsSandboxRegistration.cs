namespace Atlas.Sandbox.Elasticsearch;

/// <summary>Registers the Elasticsearch stand-in's in-memory indices.</summary>
internal static class EsSandboxRegistration
{
    public static void AddElasticsearchSandbox(this IServiceCollection services) => services.AddSingleton<EsIndexStore>();
}
