using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Atlas.Moderation.Tests.Support;

/// <summary>
/// A PostgreSQL 15 cluster of the test's own (Debian's initdb/pg_ctl, trust authentication on 127.0.0.1 and a free
/// port, in a temp folder), so a test may take the database away and bring it back without touching the shared
/// server. Its data outlives a stop. As root the server runs as the <c>postgres</c> user, which initdb requires.
/// </summary>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly string _folder;
    private bool _running;

    private PrivatePostgres(string folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The connection string of the <c>postgres</c> database.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = "postgres", Database = "postgres", Pooling = true, Timeout = 3,
    }.ConnectionString;

    public static async Task<PrivatePostgres> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("atlas-postgres-").FullName;
        var server = new PrivatePostgres(folder, FreePort());
        if (AsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", folder]);
        }

        await RunToolAsync("initdb", ["-D", server.DataFolder, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
        await server.StartServerAsync();
        return server;
    }

    /// <summary>Stops the server the way an outage or a restart does: open connections are cut.</summary>
    public async Task StopServerAsync()
    {
        await RunToolAsync("pg_ctl", ["-D", DataFolder, "-m", "fast", "-w", "stop"]);
        _running = false;
    }

    public async Task StartServerAsync()
    {
        var options = string.Create(CultureInfo.InvariantCulture, $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off");
        await RunToolAsync("pg_ctl", ["-D", DataFolder, "-l", Path.Combine(_folder, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
        _running = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_running)
        {
            await StopServerAsync();
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying process: the OS cleans its temp folder in time.
        }
    }

    private static bool AsRoot => Environment.UserName == "root";

    private string DataFolder => Path.Combine(_folder, "data");

    private static Task RunToolAsync(string tool, IReadOnlyList<string> arguments) =>
        AsRoot ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(Bin, tool), .. arguments]) : RunAsync(Path.Combine(Bin, tool), arguments);

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
