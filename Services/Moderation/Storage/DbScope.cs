using Npgsql;

namespace Atlas.Moderation.Storage;

/// <summary>
/// A connection for one piece of work: the caller's transaction when it has one (and then nothing to close), else a
/// fresh connection from the pool, closed on dispose.
/// </summary>
public sealed class DbScope : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction? _transaction;
    private readonly bool _owned;

    private DbScope(NpgsqlConnection connection, NpgsqlTransaction? transaction, bool owned)
    {
        _connection = connection;
        _transaction = transaction;
        _owned = owned;
    }

    public static async Task<DbScope> OpenAsync(NpgsqlDataSource dataSource, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        if (transaction?.Connection is { } connection)
        {
            return new DbScope(connection, transaction, owned: false);
        }

        return new DbScope(await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false), null, owned: true);
    }

    /// <summary>A command with positional parameters <c>$1</c>, <c>$2</c>, ... (null values must be passed as DBNull).</summary>
    public NpgsqlCommand Command(string sql, params object[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var command = new NpgsqlCommand(sql, _connection, _transaction);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return command;
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
