using System.Text.RegularExpressions;
using Atlas.ServiceDefaults.Clients;
using Npgsql;

namespace Atlas.LlmRouter.Knowledge;

/// <summary>Bounds the knowledge base's connection pool to <see cref="KnowledgeOptions.MaxConnections"/> and prepares its repeated statements, unless the connection string says otherwise.</summary>
internal static partial class KnowledgePool
{
    public static void Bound(NpgsqlDataSourceBuilder dataSource, IConfiguration configuration)
    {
        // The search runs for every grounded question: prepared once per connection, PostgreSQL skips parsing and
        // planning its CTEs each time (about a millisecond of the router's added latency).
        PreparedStatements.Enable(dataSource, 16);
        if (ExplicitMaximum().IsMatch(dataSource.ConnectionString))
        {
            return;
        }

        var configured = configuration.GetValue<int?>($"{KnowledgeOptions.Section}:{nameof(KnowledgeOptions.MaxConnections)}");
        dataSource.ConnectionStringBuilder.MaxPoolSize = configured is > 0 ? configured.Value : new KnowledgeOptions().MaxConnections;
    }

    [GeneratedRegex(@"(^|;)\s*max(imum)?\s*pool\s*size\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExplicitMaximum();
}
