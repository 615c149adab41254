using System.Text.RegularExpressions;
using Npgsql;

namespace Atlas.LlmRouter.Knowledge;

/// <summary>Bounds the knowledge base's connection pool to <see cref="KnowledgeOptions.MaxConnections"/>.</summary>
internal static partial class KnowledgePool
{
    public static void Bound(NpgsqlDataSourceBuilder dataSource, IConfiguration configuration)
    {
        var connectionString = dataSource.ConnectionString;
        if (ExplicitMaximum().IsMatch(connectionString))
        {
            return;
        }

        var configured = configuration.GetValue<int?>($"{KnowledgeOptions.Section}:{nameof(KnowledgeOptions.MaxConnections)}");
        dataSource.ConnectionStringBuilder.MaxPoolSize = configured is > 0 ? configured.Value : new KnowledgeOptions().MaxConnections;
    }

    [GeneratedRegex(@"(^|;)\s*max(imum)?\s*pool\s*size\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExplicitMaximum();
}
