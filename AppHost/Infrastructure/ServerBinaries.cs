namespace Atlas.AppHost.Infrastructure;

/// <summary>Finds the Debian servers' binaries, or says in one sentence what to install or configure instead.</summary>
internal static class ServerBinaries
{
    public static string? OnPath(string name, string? searchPath = null) =>
        (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/sbin")
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    /// <summary>The folder of PostgreSQL's server programs: initdb on PATH, else the newest /usr/lib/postgresql/N/bin (N &gt;= 15).</summary>
    public static string? PostgresBin()
    {
        var initdb = OnPath("initdb");
        if (initdb is not null && File.Exists(Path.Combine(Path.GetDirectoryName(initdb)!, "postgres")))
        {
            return Path.GetDirectoryName(initdb);
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot))
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
    public static string? RabbitMqServer()
    {
        const string debian = "/usr/lib/rabbitmq/bin/rabbitmq-server";
        return File.Exists(debian) ? debian : OnPath("rabbitmq-server");
    }

    public static InvalidOperationException Missing(string resource, string program, string package) => new(
        $"The '{resource}' resource needs {program}, which is not installed. Install it with " +
        $"'sudo apt-get install -y {package}', or point Atlas at a running server by setting ConnectionStrings__{resource}.");

    /// <summary>Runs a short command to completion (chown and the like); throws with its output when it fails.</summary>
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
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', start.ArgumentList)} failed with code {process.ExitCode}: {await error.ConfigureAwait(false)}{await output.ConfigureAwait(false)}");
        }
    }

    /// <summary>As root, gives a folder to the user a server runs as; otherwise nothing to do.</summary>
    public static Task GiveToAsync(string user, string folder, CancellationToken cancellationToken) =>
        Processes.Posix.IsRoot ? RunAsync("chown", ["-R", $"{user}:{user}", folder], cancellationToken) : Task.CompletedTask;
}
