using System.Data;
using Atlas.Backup.Artifacts;
using Atlas.Backup.Options;
using Atlas.Backup.Running;
using Atlas.Backup.Targets;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Atlas.Backup.Postgres;

/// <summary>
/// PostgreSQL with pg_dump/pg_restore in custom format. The dump runs inside a snapshot exported by our own
/// repeatable-read transaction, in which the table statistics are also taken, so they describe exactly the dumped data
/// even while writes continue.
/// </summary>
internal sealed class PostgresHandler(IOptions<BackupOptions> options) : ITargetHandler
{
    public TargetKind Kind => TargetKind.Postgres;

    public async Task<DumpFacts> DumpAsync(BackupTarget target, Stream payload, CancellationToken cancellationToken)
    {
        var settings = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        var (clientMajor, clientText) = await PgVersions.ClientAsync(options.Value.PgDumpPath, cancellationToken).ConfigureAwait(false);
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var (serverMajor, serverText) = await PgVersions.ServerAsync(connection, cancellationToken).ConfigureAwait(false);
        PgVersions.EnsureMatch("pg_dump", clientMajor, serverMajor, target.Name);

        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        string snapshot;
        await using (var export = new NpgsqlCommand("SET TRANSACTION READ ONLY; SELECT pg_export_snapshot()", connection, transaction))
        {
            snapshot = (string)(await export.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        var tables = await TableStats.CaptureAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        using var process = PgProcess.Start(options.Value.PgDumpPath,
            ["--format=custom", "--compress=0", "--no-password", $"--snapshot={snapshot}"], settings);
        process.StandardInput.Close();
        var errors = PgProcess.ReadErrorsAsync(process, cancellationToken);
        await process.StandardOutput.BaseStream.CopyToAsync(payload, 1 << 16, cancellationToken).ConfigureAwait(false);
        await PgProcess.EnsureSucceededAsync(process, errors, "pg_dump", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

        return new DumpFacts(Describe(settings), serverText, clientText) { Tables = tables };
    }

    public async Task<string> RestoreAsync(BackupTarget target, Func<Stream> openPayload, string? into, CancellationToken cancellationToken)
    {
        var settings = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        await EnsureVersionsMatchAsync(target, cancellationToken).ConfigureAwait(false);
        var database = into ?? settings.Database!;
        if (into is not null)
        {
            await CreateDatabaseAsync(target.ConnectionString, into, cancellationToken).ConfigureAwait(false);
        }

        if (into is not null)
        {
            await RunRestoreAsync(settings, database, openPayload, [], cancellationToken).ConfigureAwait(false);
            return $"{settings.Host}:{settings.Port}/{database}";
        }

        // Into the source: drop what the dump holds and recreate it, all in one transaction (all or nothing), except the
        // ops audit log, which keeps the rows written since the backup: a trail a restore could roll back is no trail.
        var list = Path.GetTempFileName();
        try
        {
            var contents = await RunPgRestoreAsync(settings, null, openPayload, ["--list"], cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(list, WithoutOpsAudit(contents), cancellationToken).ConfigureAwait(false);
            await RunRestoreAsync(settings, database, openPayload, ["--clean", "--if-exists", $"--use-list={list}"], cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            File.Delete(list);
        }

        return $"{settings.Host}:{settings.Port}/{database}";
    }

    /// <summary>
    /// An archive's table of contents (<c>pg_restore --list</c>) with every entry of the ops audit log (its table, data,
    /// sequence, index, trigger function and triggers, all named <c>ops_audit…</c>) commented out, so a restore from it
    /// neither drops nor replaces them.
    /// </summary>
    internal static string WithoutOpsAudit(string tableOfContents)
    {
        ArgumentNullException.ThrowIfNull(tableOfContents);
        var lines = tableOfContents.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith(';') && lines[i].Contains("ops_audit", StringComparison.Ordinal))
            {
                lines[i] = ";" + lines[i];
            }
        }

        return string.Join('\n', lines);
    }

    public async Task<VerificationOutcome> VerifyAsync(BackupTarget target, BackupManifest manifest, Func<Stream> openPayload, CancellationToken cancellationToken)
    {
        var settings = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        await EnsureVersionsMatchAsync(target, cancellationToken).ConfigureAwait(false);
        var scratch = $"backup_verify_{manifest.Id:N}"[..40];
        await CreateDatabaseAsync(target.ConnectionString, scratch, cancellationToken).ConfigureAwait(false);
        try
        {
            await RunRestoreAsync(settings, scratch, openPayload, [], cancellationToken).ConfigureAwait(false);
            var scratchConnection = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = scratch, Pooling = false };
            await using var connection = new NpgsqlConnection(scratchConnection.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var restored = await TableStats.CaptureAsync(connection, null, cancellationToken).ConfigureAwait(false);
            var differences = TableStats.Compare(manifest.Tables ?? [], restored);
            return differences.Count == 0
                ? new VerificationOutcome(true, $"Restored into a scratch database; {restored.Count} tables, {restored.Sum(t => t.Rows)} rows: row counts and checksums match.")
                : new VerificationOutcome(false, "Restored data differs from the backup: " + string.Join("; ", differences));
        }
        finally
        {
            await DropDatabaseAsync(target.ConnectionString, scratch, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>A database name an operator may restore into: lower-case letters, digits and underscores.</summary>
    /// <summary>The names a restore may create: PostgreSQL's 63-byte limit, plain lower-case, and not in its own <c>pg_</c> namespace.</summary>
    public static bool IsValidDatabaseName(string name) =>
        name.Length is > 0 and <= 63 && char.IsAsciiLetterLower(name[0]) && !name.StartsWith("pg_", StringComparison.Ordinal)
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    public static async Task<bool> DatabaseExistsAsync(string connectionString, string name, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", connection);
        command.CommandTimeout = 0;
        command.Parameters.AddWithValue(name);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task RunRestoreAsync(NpgsqlConnectionStringBuilder settings, string database, Func<Stream> openPayload, string[] extra, CancellationToken cancellationToken) =>
        await RunPgRestoreAsync(settings, database, openPayload,
            ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--no-password", .. extra, $"--dbname={database}"], cancellationToken)
            .ConfigureAwait(false);

    // pg_restore reading the archive from stdin; answers what it wrote to stdout.
    private async Task<string> RunPgRestoreAsync(
        NpgsqlConnectionStringBuilder settings, string? database, Func<Stream> openPayload, string[] arguments, CancellationToken cancellationToken)
    {
        using var process = PgProcess.Start(options.Value.PgRestorePath, arguments, settings, database);
        var errors = PgProcess.ReadErrorsAsync(process, cancellationToken);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        try
        {
            await using var payload = openPayload();
            await payload.CopyToAsync(process.StandardInput.BaseStream, 1 << 16, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // pg_restore stopped reading: it failed (its exit code and message follow), or it needed no more (--list).
        }
        finally
        {
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The same closed pipe, met again while flushing.
            }
        }

        var written = await output.ConfigureAwait(false);
        await PgProcess.EnsureSucceededAsync(process, errors, "pg_restore", cancellationToken).ConfigureAwait(false);
        return written;
    }

    private async Task EnsureVersionsMatchAsync(BackupTarget target, CancellationToken cancellationToken)
    {
        var (clientMajor, _) = await PgVersions.ClientAsync(options.Value.PgRestorePath, cancellationToken).ConfigureAwait(false);
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var (serverMajor, _) = await PgVersions.ServerAsync(connection, cancellationToken).ConfigureAwait(false);
        PgVersions.EnsureMatch("pg_restore", clientMajor, serverMajor, target.Name);
    }

    private static async Task CreateDatabaseAsync(string connectionString, string name, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {TableStats.Quote(name)}", connection);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task DropDatabaseAsync(string connectionString, string name, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {TableStats.Quote(name)} WITH (FORCE)", connection);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Describe(NpgsqlConnectionStringBuilder settings) => $"postgres://{settings.Host}:{settings.Port}/{settings.Database}";
}
