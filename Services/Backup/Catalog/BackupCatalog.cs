using System.Text.Json;
using Atlas.Backup.Artifacts;
using Npgsql;
using NpgsqlTypes;

namespace Atlas.Backup.Catalog;

/// <summary>The catalog of backups in <c>backupdb</c>.</summary>
public sealed class BackupCatalog(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        backup_id, target, kind, storage, location, artifact_name, size_bytes, sha256, started_at, completed_at,
        trigger, verification_status, verification_detail, verified_at, manifest
        """;

    public async Task AddAsync(BackupRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO backup_catalog ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            """);
        command.Parameters.AddWithValue(record.Id);
        command.Parameters.AddWithValue(record.Target);
        command.Parameters.AddWithValue(record.Kind);
        command.Parameters.AddWithValue(record.Storage);
        command.Parameters.AddWithValue(record.Location);
        command.Parameters.AddWithValue(record.ArtifactName);
        command.Parameters.AddWithValue(record.SizeBytes);
        command.Parameters.AddWithValue(record.Sha256);
        command.Parameters.AddWithValue(record.StartedAt);
        command.Parameters.AddWithValue(record.CompletedAt);
        command.Parameters.AddWithValue(record.Trigger);
        command.Parameters.AddWithValue(record.VerificationStatus);
        command.Parameters.AddWithValue((object?)record.VerificationDetail ?? DBNull.Value);
        command.Parameters.AddWithValue((object?)record.VerifiedAt ?? DBNull.Value);
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(record.Manifest), NpgsqlDbType = NpgsqlDbType.Jsonb });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records a verification: the backup's latest outcome and one more line of its history, in one transaction.</summary>
    public async Task SetVerificationAsync(Guid id, string status, string detail, DateTimeOffset at, string trigger, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("UPDATE backup_catalog SET verification_status = $2, verification_detail = $3, verified_at = $4 WHERE backup_id = $1")
                {
                    Parameters = { new() { Value = id }, new() { Value = status }, new() { Value = detail }, new() { Value = at } },
                },
                new NpgsqlBatchCommand("""
                    INSERT INTO backup_verifications (backup_id, verified_at, trigger, status, detail)
                    SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM backup_catalog WHERE backup_id = $1)
                    """)
                {
                    Parameters = { new() { Value = id }, new() { Value = at }, new() { Value = trigger }, new() { Value = status }, new() { Value = detail } },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The verifications of one backup, newest first.</summary>
    public async Task<IReadOnlyList<VerificationEntry>> VerificationsAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT verified_at, trigger, status, detail FROM backup_verifications WHERE backup_id = $1 ORDER BY verified_at DESC, id DESC");
        command.Parameters.AddWithValue(id);
        var entries = new List<VerificationEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new VerificationEntry(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return entries;
    }

    public async Task<BackupRecord?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM backup_catalog WHERE backup_id = $1");
        command.Parameters.AddWithValue(id);
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <summary>Newest first; one target's or all.</summary>
    public async Task<IReadOnlyList<BackupRecord>> ListAsync(string? target, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM backup_catalog WHERE $1::text IS NULL OR target = $1 ORDER BY completed_at DESC");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)target ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM backup_catalog WHERE backup_id = $1");
        command.Parameters.AddWithValue(id);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<BackupRecord>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var records = new List<BackupRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(new BackupRecord(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetInt64(6), reader.GetString(7), reader.GetFieldValue<DateTimeOffset>(8), reader.GetFieldValue<DateTimeOffset>(9),
                reader.GetString(10), reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetString(12),
                reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13),
                JsonSerializer.Deserialize<BackupManifest>(reader.GetString(14))!));
        }

        return records;
    }
}
