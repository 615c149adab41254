using Microsoft.Extensions.Logging;
using Npgsql;

namespace Atlas.ServiceDefaults.Migrations;

/// <summary>
/// Applies versioned scripts to one database. Safe to run twice (applied versions are skipped) and from two
/// instances at once (a session advisory lock serialises them). Each script runs in its own transaction together
/// with its row in <c>atlas_schema_migrations</c>, so a failed script leaves nothing half-applied.
/// </summary>
public sealed partial class DatabaseMigrator(NpgsqlDataSource dataSource, ILogger<DatabaseMigrator> logger)
{
    /// <summary>Arbitrary but fixed: the advisory lock key all Atlas migrators agree on.</summary>
    private const long AdvisoryLockKey = 0x41746c61734d6967; // "AtlasMig"

    private const string CreateHistoryTable = """
        CREATE TABLE IF NOT EXISTS atlas_schema_migrations (
            version     integer     PRIMARY KEY,
            name        text        NOT NULL,
            checksum    text        NOT NULL,
            applied_at  timestamptz NOT NULL DEFAULT now()
        )
        """;

    /// <summary>Applies every script not yet applied; returns how many it applied.</summary>
    public async Task<int> MigrateAsync(IReadOnlyList<MigrationScript> scripts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scripts);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "SELECT pg_advisory_lock($1)", AdvisoryLockKey, cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, CreateHistoryTable, null, cancellationToken).ConfigureAwait(false);
            var applied = await ReadAppliedAsync(connection, cancellationToken).ConfigureAwait(false);
            var count = 0;
            foreach (var script in scripts)
            {
                if (applied.TryGetValue(script.Version, out var checksum))
                {
                    if (checksum != script.Checksum)
                    {
                        throw new InvalidOperationException(
                            $"Migration {script.Name} was changed after it was applied to database '{connection.Database}'. " +
                            "Add a new migration instead of editing an applied one.");
                    }

                    continue;
                }

                await ApplyAsync(connection, script, cancellationToken).ConfigureAwait(false);
                count++;
            }

            Log.Migrated(logger, connection.Database, count, scripts.Count);
            return count;
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock($1)", AdvisoryLockKey, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task ApplyAsync(NpgsqlConnection connection, MigrationScript script, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand(script.Sql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var record = new NpgsqlCommand(
            "INSERT INTO atlas_schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", connection, transaction))
        {
            record.Parameters.Add(new NpgsqlParameter { Value = script.Version });
            record.Parameters.Add(new NpgsqlParameter { Value = script.Name });
            record.Parameters.Add(new NpgsqlParameter { Value = script.Checksum });
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Log.Applied(logger, script.Name, connection.Database);
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM atlas_schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            applied[reader.GetInt32(0)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, long? key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (key is { } value)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Migration} to database {Database}")]
        public static partial void Applied(ILogger logger, string migration, string database);

        [LoggerMessage(Level = LogLevel.Information, Message = "Database {Database} is up to date: {AppliedCount} of {ScriptCount} migrations applied now")]
        public static partial void Migrated(ILogger logger, string database, int appliedCount, int scriptCount);
    }
}
