using System.Globalization;
using Atlas.Backup.Artifacts;
using Npgsql;

namespace Atlas.Backup.Postgres;

/// <summary>Row counts and order-independent row checksums of every user table, in the caller's transaction.</summary>
internal static class TableStats
{
    private const string ListTables = """
        SELECT n.nspname, c.relname
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
        ORDER BY 1, 2
        """;

    public static async Task<IReadOnlyList<TableStat>> CaptureAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var tables = new List<(string Schema, string Table)>();
        await using (var list = new NpgsqlCommand(ListTables, connection, transaction) { CommandTimeout = 0 })
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var stats = new List<TableStat>(tables.Count);
        foreach (var (schema, table) in tables)
        {
            var name = $"{Quote(schema)}.{Quote(table)}";
            // The sum of per-row hashes does not depend on row order, so the same rows give the same figure after a restore.
            var sql = $"SELECT count(*), coalesce(sum(hashtextextended(t::text, 0)::numeric), 0)::text FROM {name} t";
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            command.CommandTimeout = 0;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            stats.Add(new TableStat(schema, table, reader.GetInt64(0), reader.GetString(1)));
        }

        return stats;
    }

    /// <summary>Differences between two captures, one line per table; empty when they agree.</summary>
    public static IReadOnlyList<string> Compare(IReadOnlyList<TableStat> expected, IReadOnlyList<TableStat> actual)
    {
        var differences = new List<string>();
        var byName = actual.ToDictionary(s => s.QualifiedName, StringComparer.Ordinal);
        foreach (var table in expected)
        {
            if (!byName.Remove(table.QualifiedName, out var restored))
            {
                differences.Add($"{table.QualifiedName}: missing after restore");
            }
            else if (restored.Rows != table.Rows)
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"{table.QualifiedName}: {table.Rows} rows backed up, {restored.Rows} restored"));
            }
            else if (restored.Checksum != table.Checksum)
            {
                differences.Add($"{table.QualifiedName}: same row count but different row checksum");
            }
        }

        differences.AddRange(byName.Keys.Select(name => $"{name}: present after restore but not in the backup"));
        return differences;
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
