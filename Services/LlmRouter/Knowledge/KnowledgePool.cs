using System.Text.RegularExpressions;
using Npgsql;

namespace Atlas.LlmRouter.Knowledge;

/// <summary>Bounds the knowledge base's connection pool to <see cref="KnowledgeOptions.MaxConnections"/> and prepares its repeated statements, unless the connection string says otherwise.</summary>
internal static partial class KnowledgePool
{
    public static void Bound(NpgsqlDataSourceBuilder dataSource, IConfiguration configuration)
    {
        var connectionString = dataSource.ConnectionString;
        if (!ExplicitAutoPrepare().IsMatch(connectionString))
        {
            // The search runs for every grounded question: prepared once per connection, PostgreSQL skips parsing and
            // planning its CTEs each time (about a millisecond of the router's added latency).
            dataSource.ConnectionStringBuilder.MaxAutoPrepare = 16;
        }

        if (ExplicitMaximum().IsMatch(connectionString))
        {
            return;
        }

        var configured = configuration.GetValue<int?>($"{KnowledgeOptions.Section}:{nameof(KnowledgeOptions.MaxConnections)}");
        dataSource.ConnectionStringBuilder.MaxPoolSize = configured is > 0 ? configured.Value : new KnowledgeOptions().MaxConnections;
    }

    [GeneratedRegex(@"(^|;)\s*max\s*auto\s*prepare\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExplicitAutoPrepare();

    [GeneratedRegex(@"(^|;)\s*max(imum)?\s*pool\s*size\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExplicitMaximum();
}
