namespace Atlas.AppHost.Infrastructure;

/// <summary>
/// Finds the Debian servers' binaries, or says in one sentence what to install or configure instead. A configured
/// <c>Atlas:ServerSearchPath</c> replaces every place looked in (the model tests use it to play a machine without them).
/// </summary>
internal sealed class ServerBinaries(string? searchPath)
{
    private readonly string[] _folders = searchPath is { Length: > 0 }
        ? searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries)
        : [.. (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries), "/usr/sbin", "/sbin"];

    private readonly bool _debianLayout = searchPath is not { Length: > 0 };

    public string? OnPath(string name) => _folders.Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists);

    public string? Redis() => OnPath("redis-server");

    /// <summary>The folder of PostgreSQL's server programs: initdb on the path, else the newest /usr/lib/postgresql/N/bin (N &gt;= 15).</summary>
    public string? PostgresBin()
    {
        var initdb = OnPath("initdb");
        if (initdb is not null && File.Exists(Path.Combine(Path.GetDirectoryName(initdb)!, "postgres")))
        {
            return Path.GetDirectoryName(initdb);
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (!_debianLayout || !Directory.Exists(debianRoot))
        {
            return null;
        }

        return Directory.EnumerateDirectories(debianRoot)
            .Select(directory => (directory, version: int.TryParse(Path.GetFileName(directory), out var v) ? v : 0))
            .Where(entry => entry.version >= 15 && File.Exists(Path.Combine(entry.directory, "bin", "initdb")))
            .OrderByDescending(entry => entry.version)
            .Select(entry => Path.Combine(entry.directory, "bin"))
            .FirstOrDefault();
    }

    /// <summary>RabbitMQ's own start script (Debian's /usr/sbin wrapper insists on /var/lib/rabbitmq, so it is passed over).</summary>
    public string? RabbitMqServer()
    {
        const string debian = "/usr/lib/rabbitmq/bin/rabbitmq-server";
        return _debianLayout && File.Exists(debian) ? debian : OnPath("rabbitmq-server");
    }

    public static DistributedApplicationException Missing(string resource, string program, string package) => new(
        $"The '{resource}' resource needs {program}, which is not installed. Install it with " +
        $"'sudo apt-get install -y {package}', point Atlas at a running server with ConnectionStrings__{resource}, " +
        "or choose a container runtime with --containers.");

    /// <summary>Runs a short command to completion (initdb, chown and the like); throws with its output when it fails.</summary>
    public static async Task RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new System.Diagnostics.ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new DistributedApplicationException(
                $"{fileName} {string.Join(' ', start.ArgumentList)} failed with code {process.ExitCode}: {await error.ConfigureAwait(false)}{await output.ConfigureAwait(false)}");
        }
    }

    /// <summary>As root, gives a folder to the user a server runs as; otherwise nothing to do.</summary>
    public static Task GiveToAsync(string user, string folder, CancellationToken cancellationToken) =>
        Hosting.Posix.IsRoot ? RunAsync("chown", ["-R", $"{user}:{user}", folder], cancellationToken) : Task.CompletedTask;
}
