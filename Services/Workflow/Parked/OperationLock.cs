using Npgsql;

namespace Atlas.Workflow.Parked;

/// <summary>
/// A PostgreSQL session advisory lock on one operation id, so the retry loop, an operator's resume and a second
/// service instance never apply the same operation at the same time.
/// </summary>
internal sealed class OperationLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly string _operationId;

    private OperationLock(NpgsqlConnection connection, string operationId)
    {
        _connection = connection;
        _operationId = operationId;
    }

    public static async Task<OperationLock> AcquireAsync(NpgsqlDataSource dataSource, string operationId, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended($1, 7))", connection);
            command.Parameters.AddWithValue(operationId);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return new OperationLock(connection, operationId);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended($1, 7))", _connection);
            command.Parameters.AddWithValue(_operationId);
            await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
