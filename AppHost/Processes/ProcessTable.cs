namespace Atlas.AppHost.Processes;

/// <summary>
/// Finds processes through /proc. Every process the AppHost starts carries the environment variable
/// <see cref="OwnerVariable"/>, and so do all their descendants (Erlang's beam and epmd included); that lets the
/// AppHost sweep up whatever a crash or a kill -9 of an earlier run left behind, and prove none remain after a stop.
/// </summary>
internal static class ProcessTable
{
    public const string OwnerVariable = "ATLAS_APPHOST_OWNER";

    /// <summary>Process ids whose environment has <see cref="OwnerVariable"/> starting with <paramref name="ownerPrefix"/>.</summary>
    public static IReadOnlyList<int> FindOwnedBy(string ownerPrefix)
    {
        var found = new List<int>();
        var self = Environment.ProcessId;
        var needle = $"{OwnerVariable}={ownerPrefix}";
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == self)
            {
                continue;
            }

            try
            {
                var environment = File.ReadAllText(Path.Combine(directory, "environ"));
                if (environment.Split('\0').Any(entry => entry.StartsWith(needle, StringComparison.Ordinal)) && Posix.IsAlive(pid))
                {
                    found.Add(pid);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read: either way not a process we started.
            }
        }

        return found;
    }

    /// <summary>The direct children of a process.</summary>
    public static IReadOnlyList<int> ChildrenOf(int pid)
    {
        try
        {
            return [.. Directory.EnumerateFiles($"/proc/{pid}/task", "children", SearchOption.AllDirectories)
                .SelectMany(file => File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(int.Parse)];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The short command name (<c>/proc/pid/comm</c>), or null when the process is gone.</summary>
    public static string? CommandName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
