using Elastic.Clients.Elasticsearch;
using Microsoft.Extensions.Options;

namespace Atlas.LlmRouter.Knowledge.Elasticsearch;

/// <summary>
/// Registers the Elasticsearch knowledge store. The connection string is the node URL (a path prefix is kept), or
/// Aspire's <c>Endpoint=http://host:9200</c> form; credentials belong in the URL's user info or are not used.
/// </summary>
internal static class ElasticsearchRegistration
{
    public static void AddElasticsearchKnowledgeStore(this IServiceCollection services, string connectionString)
    {
        var node = ParseNode(connectionString);
        services.AddSingleton(_ => new ElasticsearchClient(new ElasticsearchClientSettings(node)));
        services.AddSingleton(provider => new ElasticsearchIndex(provider.GetRequiredService<IOptions<KnowledgeOptions>>().Value.ElasticsearchIndex));
        services.AddSingleton<IKnowledgeStore, ElasticsearchKnowledgeStore>();
        services.AddExceptionHandler<KnowledgeStoreExceptionHandler>();
    }

    internal static Uri ParseNode(string connectionString)
    {
        var value = connectionString.Trim();
        var endpoint = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(part => part.StartsWith("Endpoint=", StringComparison.OrdinalIgnoreCase));
        if (endpoint is not null)
        {
            value = endpoint["Endpoint=".Length..];
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new OptionsValidationException("ConnectionStrings:elasticsearch", typeof(KnowledgeOptions),
                ["ConnectionStrings:elasticsearch must be an http(s) URL of an Elasticsearch node, or Endpoint=<url>."]);
        }

        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
    }
}
