extern alias backup;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Atlas.Testing;
using Npgsql;
using StackExchange.Redis;
using PgProcess = backup::Atlas.Backup.Postgres.PgProcess;

namespace Atlas.Benchmarks.Backup;

/// <summary>
/// Backup and restore throughput of one PostgreSQL database through the backup service's HTTP API (pg_dump, gzip,
/// AES-256-GCM, file; and back through pg_restore into a new database) against plain <c>pg_dump -Fc</c> to a file and
/// <c>pg_restore</c> of that file on the same data; then the restore drill of every target (the RTO). MB/s are of the
/// database's size on disk (<c>pg_database_size</c>).
/// </summary>
internal static class BackupBenchmark
{
    private const string OpsKey = "bench-backup-ops-key";

    public static async Task RunAsync(BenchmarkOptions options)
    {
        var resources = await IsolatedResources.CreateAsync("benchbackup");
        var source = await resources.Servers.CreateDatabaseAsync("benchbackupsrc");
        var storage = Directory.CreateTempSubdirectory("atlas-backup-bench-").FullName;
        try
        {
            var sizeBytes = await GenerateAsync(source, options.BackupMegabytes * 1024L * 1024L);
            await using var host = new ServiceFactory<backup::Program>("backupdb", resources, new Dictionary<string, string?>
            {
                ["ConnectionStrings:gatewaydb"] = source,
                ["Backup:EncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
                ["Backup:OpsApiKey"] = OpsKey,
                ["Backup:Storage:Path"] = storage,
                ["Backup:Schedules:Enabled"] = "false",
                ["Backup:VerifyAfterBackup"] = "false",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            using var api = host.CreateClient();
            api.Timeout = TimeSpan.FromHours(2);
            api.DefaultRequestHeaders.Add("X-Admin-Key", OpsKey);
            await SeedRedisAsync(resources, options.BackupMegabytes * 50);

            var mb = sizeBytes / (1024.0 * 1024.0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Backup of one PostgreSQL database of {mb:0} MB ({Environment.ProcessorCount} cores; service: pg_dump custom uncompressed -> gzip fastest -> AES-256-GCM)"));

            var dumpFile = Path.Combine(storage, "plain.dump");
            var plainDump = await TimeAsync(() => RunPgAsync("pg_dump", ["--format=custom", "--no-password", $"--file={dumpFile}"], source, null));
            var plainInto = "bench_plain_" + Guid.NewGuid().ToString("N")[..8];
            await ExecuteAsync(source, $"CREATE DATABASE {plainInto}");
            var plainRestore = await TimeAsync(() => RunPgAsync("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--no-password", $"--dbname={plainInto}", dumpFile], source, plainInto));

            JsonElement backup = default;
            var serviceDump = await TimeAsync(async () => backup = await PostAsync(api, "/backups", new { target = "gatewaydb" }));
            var record = backup.GetProperty("backups")[0];
            var serviceInto = "bench_service_" + Guid.NewGuid().ToString("N")[..8];
            var serviceRestore = await TimeAsync(() => PostAsync(api, $"/backups/{record.GetProperty("id").GetGuid()}/restore", new { into = serviceInto, confirm = true }));

            Print("plain pg_dump -Fc", plainDump, mb, new FileInfo(dumpFile).Length);
            Print("service backup", serviceDump, mb, record.GetProperty("sizeBytes").GetInt64());
            Print("plain pg_restore", plainRestore, mb, null);
            Print("service restore (new database)", serviceRestore, mb, null);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{"overhead",-32} backup {serviceDump / plainDump:0.00}x  restore {serviceRestore / plainRestore:0.00}x the plain tools' time"));
            await ExecuteAsync(source, $"DROP DATABASE {plainInto} WITH (FORCE)");
            await ExecuteAsync(source, $"DROP DATABASE {serviceInto} WITH (FORCE)");
            File.Delete(dumpFile);

            await DrillAsync(api);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(storage, recursive: true);
            await ExecuteAsync(resources.Servers.Postgres, $"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(source).Database}\" WITH (FORCE)");
        }
    }

    /// <summary>The runbook's drill: every target backed up with "all", then each restored into its source (emergency backup first), catalog last.</summary>
    private static async Task DrillAsync(HttpClient api)
    {
        JsonElement run = default;
        var backupTime = await TimeAsync(async () => run = await PostAsync(api, "/backups", new { target = "all" }));
        var backups = run.GetProperty("backups").EnumerateArray().Where(b => b.GetProperty("kind").GetString() != "Configuration")
            .OrderBy(b => b.GetProperty("target").GetString() == "backupdb").ToList();
        var stored = backups.Sum(b => b.GetProperty("sizeBytes").GetInt64()) / (1024.0 * 1024.0);
        var restoreTime = await TimeAsync(async () =>
        {
            foreach (var one in backups)
            {
                await PostAsync(api, $"/backups/{one.GetProperty("id").GetGuid()}/restore", new { into = "source", confirm = true });
            }
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"restore drill (RTO)",-32} {backups.Count} targets ({string.Join(", ", backups.Select(b => b.GetProperty("target").GetString()))}; {stored:0} MB stored): backup all {backupTime:0.0} s, restore all into source {restoreTime:0.0} s"));
    }

    private static void Print(string what, double seconds, double mb, long? storedBytes) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-32} {seconds,8:0.0} s  {mb / seconds,8:0.0} MB/s{(storedBytes is { } s ? $"  file {s / (1024.0 * 1024.0),7:0} MB" : "")}"));

    /// <summary>Fills a table until the database reaches about <paramref name="target"/> bytes; returns its size.</summary>
    private static async Task<long> GenerateAsync(string connectionString, long target)
    {
        await ExecuteAsync(connectionString, """
            CREATE TABLE messages (id bigint PRIMARY KEY, chat bigint NOT NULL, sent timestamptz NOT NULL, body text NOT NULL);
            CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, score numeric NOT NULL);
            INSERT INTO users SELECT g, 'user ' || g, g * 1.5 FROM generate_series(1, 10000) g;
            """);
        long next = 1;
        var batch = Math.Clamp(target / 125 / 20, 10_000, 200_000); // about 125 bytes a row: some 20 batches
        while (await SizeAsync(connectionString) < target)
        {
            await ExecuteAsync(connectionString, string.Create(CultureInfo.InvariantCulture, $"""
                INSERT INTO messages SELECT g, g % 5000, timestamptz '2026-01-01' + g * interval '1 second',
                    md5(g::text) || ' ' || repeat(chr(97 + (g % 26)::int), (g % 40)::int) || ' ' || md5((g * 7)::text)
                FROM generate_series({next}, {next + batch - 1}) g
                """));
            next += batch;
        }

        await ExecuteAsync(connectionString, "VACUUM ANALYZE");
        return await SizeAsync(connectionString);
    }

    private static async Task SeedRedisAsync(IsolatedResources resources, int keys)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(resources.Redis);
        var db = redis.GetDatabase();
        var writes = Enumerable.Range(0, keys).Select(i => db.StringSetAsync($"{resources.RedisKeyPrefix}fsm:{i}", $"state {i}")).ToArray();
        await Task.WhenAll(writes);
    }

    private static async Task<long> SizeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    private static async Task RunPgAsync(string tool, string[] arguments, string connectionString, string? database)
    {
        using var process = PgProcess.Start(tool, arguments, new NpgsqlConnectionStringBuilder(connectionString), database);
        process.StandardInput.Close();
        var errors = PgProcess.ReadErrorsAsync(process, CancellationToken.None);
        await process.StandardOutput.ReadToEndAsync();
        await PgProcess.EnsureSucceededAsync(process, errors, tool, CancellationToken.None);
    }

    private static async Task<JsonElement> PostAsync(HttpClient api, string path, object body)
    {
        using var response = await api.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(text).RootElement.Clone()
            : throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
    }

    private static async Task<double> TimeAsync(Func<Task> work)
    {
        var clock = Stopwatch.StartNew();
        await work();
        return clock.Elapsed.TotalSeconds;
    }
}
