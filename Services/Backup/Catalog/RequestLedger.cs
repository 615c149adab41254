using Npgsql;

namespace Atlas.Backup.Catalog;

/// <summary>Bus requests by <c>RequestId</c>: a redelivered request that was already handled is not run again.</summary>
public sealed class RequestLedger(NpgsqlDataSource dataSource)
{
    /// <summary>Records the request as running (or counts a redelivery); returns the earlier status when it was already finished.</summary>
    public async Task<string?> BeginAsync(Guid requestId, string target, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO backup_requests (request_id, target, received_at, status) VALUES ($1, $2, $3, 'running')
            ON CONFLICT (request_id) DO UPDATE SET deliveries = backup_requests.deliveries + 1
            RETURNING status
            """);
        command.Parameters.AddWithValue(requestId);
        command.Parameters.AddWithValue(target);
        command.Parameters.AddWithValue(at);
        var status = (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return status == "running" ? null : status;
    }

    public async Task FinishAsync(Guid requestId, string status, IEnumerable<Guid> backupIds, string? reason, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE backup_requests SET status = $2, backup_ids = $3, reason = $4 WHERE request_id = $1");
        command.Parameters.AddWithValue(requestId);
        command.Parameters.AddWithValue(status);
        command.Parameters.AddWithValue(backupIds.ToArray());
        command.Parameters.AddWithValue((object?)reason ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
