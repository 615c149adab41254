using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Atlas.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Atlas.Backup.Tests.Support;

/// <summary>
/// The backup service on its own slice of the real servers, with one source database (<c>gatewaydb</c>), the Redis
/// key prefix of the test, a fresh encryption key and a storage folder of its own. Schedules are off.
/// </summary>
public sealed class BackupWorld : IAsyncDisposable
{
    private BackupWorld(IsolatedResources resources, WebApplicationFactory<Program> factory, string source, string key, string storage)
    {
        Resources = resources;
        Factory = factory;
        Source = source;
        Key = key;
        StoragePath = storage;
        Client = OpsClient(factory);
    }

    /// <summary>The ops key every world's service is given; <see cref="Client"/> sends it.</summary>
    public const string OpsKey = "backup-tests-ops-key";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public IsolatedResources Resources { get; }

    public WebApplicationFactory<Program> Factory { get; }

    public HttpClient Client { get; }

    /// <summary>Connection string of the <c>gatewaydb</c> target.</summary>
    public string Source { get; }

    public string Key { get; }

    public string StoragePath { get; }

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static async Task<BackupWorld> StartAsync(
        string hint, IReadOnlyDictionary<string, string?>? extra = null, string? key = null, TimeProvider? time = null)
    {
        var resources = await IsolatedResources.CreateAsync(hint);
        var source = await resources.Servers.CreateDatabaseAsync(hint + "src");
        var storage = Directory.CreateTempSubdirectory("atlas-backup-tests-").FullName;
        key ??= NewKey();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:gatewaydb"] = source,
            ["Backup:EncryptionKey"] = key,
            ["Backup:Storage:Path"] = storage,
            ["Backup:Schedules:Enabled"] = "false",
            ["Backup:OpsApiKey"] = OpsKey,
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[name] = value;
        }

        WebApplicationFactory<Program> factory = new ServiceFactory<Program>("backupdb", resources, settings);
        if (time is not null)
        {
            factory = factory.WithWebHostBuilder(host => host.ConfigureTestServices(services => services.AddSingleton(time)));
        }

        _ = factory.Server;
        return new BackupWorld(resources, factory, source, key, storage);
    }

    /// <summary>
    /// A world whose schedules run on <paramref name="clock"/>, without the verification after each backup (so a
    /// verification seen is a scheduled one); <paramref name="extra"/> adds or overrides settings.
    /// </summary>
    public static Task<BackupWorld> StartScheduledAsync(string hint, TimeProvider clock, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Backup:Schedules:Enabled"] = "true",
            ["Backup:VerifyAfterBackup"] = "false",
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[name] = value;
        }

        return StartAsync(hint, settings, time: clock);
    }

    /// <summary>Another host of the service on the same servers, catalog and storage, with other settings (a new key, say).</summary>
    public ServiceFactory<Program> Restart(IReadOnlyDictionary<string, string?> changes)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:gatewaydb"] = Source,
            ["Backup:EncryptionKey"] = Key,
            ["Backup:Storage:Path"] = StoragePath,
            ["Backup:Schedules:Enabled"] = "false",
            ["Backup:OpsApiKey"] = OpsKey,
        };
        foreach (var (name, value) in changes)
        {
            settings[name] = value;
        }

        return new ServiceFactory<Program>("backupdb", Resources, settings);
    }

    /// <summary>A client of <paramref name="factory"/> that sends the ops key.</summary>
    public static HttpClient OpsClient(WebApplicationFactory<Program> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", OpsKey);
        return client;
    }

    public async Task<JsonElement[]> ListAsync(string? target = null)
    {
        var path = target is null ? "/backups" : $"/backups?target={target}";
        var list = await Client.GetFromJsonAsync<JsonElement>(new Uri(path, UriKind.Relative));
        return [.. list.EnumerateArray().Select(e => e.Clone())];
    }

    public async Task<JsonElement> BackUpAsync(string target, HttpClient? client = null)
    {
        using var response = await (client ?? Client).PostAsJsonAsync(new Uri("/backups", UriKind.Relative), new { target });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /backups answered {(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(body).RootElement.GetProperty("backups")[0].Clone();
    }

    public async Task<T?> ScalarAsync<T>(string sql, string? connectionString = null)
    {
        await using var connection = new NpgsqlConnection(connectionString ?? Source);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)value;
    }

    public async Task ExecuteAsync(string sql, string? connectionString = null)
    {
        await using var connection = new NpgsqlConnection(connectionString ?? Source);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The connection string of another database on the same server.</summary>
    public string Database(string name) => new NpgsqlConnectionStringBuilder(Source) { Database = name, Pooling = false }.ConnectionString;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        // Seen once in CI: "Directory not empty" while the folder was removed right after the host stopped. Try again
        // for a while, and if it still fails, say what was left in it.
        var deleted = await Eventually.PollAsync(() => Task.FromResult(TryDelete(StoragePath)), done => done, TimeSpan.FromSeconds(10))
            .ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
        if (!deleted)
        {
            throw new IOException($"The storage folder {StoragePath} could not be removed; it holds: " +
                string.Join(", ", Directory.EnumerateFileSystemEntries(StoragePath, "*", SearchOption.AllDirectories)));
        }
    }

    private static bool TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
            return true;
        }
        catch (IOException)
        {
            return !Directory.Exists(folder);
        }
    }
}
