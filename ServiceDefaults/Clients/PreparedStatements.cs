using System.Text.RegularExpressions;
using Npgsql;

namespace Atlas.ServiceDefaults.Clients;

/// <summary>
/// Lets Npgsql prepare a service's repeated statements (<c>Max Auto Prepare</c>), unless its connection string sets
/// that itself. A statement run a few times on a connection is then prepared there once, and PostgreSQL stops parsing
/// and planning it on every call: for the services that run the same few statements for every message, that is a
/// large part of PostgreSQL's CPU per message. It also keeps the prepared statements when a connection goes back to
/// the pool (Npgsql then resets the session without <c>DISCARD ALL</c>).
/// </summary>
public static partial class PreparedStatements
{
    /// <summary>Statements kept prepared per connection when the connection string does not say (Npgsql replaces the least used beyond it).</summary>
    public const int DefaultMaximum = 32;

    /// <summary>For <c>AddNpgsqlDataSource(name, configureDataSourceBuilder: PreparedStatements.Enable)</c>.</summary>
    public static void Enable(NpgsqlDataSourceBuilder dataSource) => Enable(dataSource, DefaultMaximum);

    public static void Enable(NpgsqlDataSourceBuilder dataSource, int maximum)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maximum);
        if (!Explicit().IsMatch(dataSource.ConnectionString))
        {
            dataSource.ConnectionStringBuilder.MaxAutoPrepare = maximum;
        }
    }

    [GeneratedRegex(@"(^|;)\s*max\s*auto\s*prepare\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Explicit();
}
