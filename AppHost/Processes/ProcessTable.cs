namespace Atlas.AppHost.Processes;

/// <summary>
/// Finds processes through /proc. Every process the AppHost starts carries the environment variable
/// <see cref="OwnerVariable"/>, and so do all their descendants (Erlang's beam and epmd included); that lets the
/// AppHost sweep up whatever a crash or a kill -9 of an earlier run left behind, and prove none remain after a stop.
/// </summary>
internal static class ProcessTable
{
    public const string OwnerVariable = "ATLAS_APPHOST_OWNER";

    /// <summary>The mark of one AppHost run: <c>&lt;data folder&gt;|&lt;run id&gt;|&lt;AppHost pid&gt;</c>.</summary>
    public static string OwnerMark(string dataRoot) => $"{dataRoot}|{Guid.NewGuid():N}|{Environment.ProcessId}";

    /// <summary>Processes whose AppHost is gone (killed, crashed, or a test host torn down before it could stop them).</summary>
    public static IReadOnlyList<int> FindOrphans() =>
        [.. Owned().Where(entry => int.TryParse(entry.Mark.Split('|')[^1], out var apphost) && !Posix.IsAlive(apphost)).Select(entry => entry.Pid)];

    /// <summary>Process ids whose environment has <see cref="OwnerVariable"/> starting with <paramref name="ownerPrefix"/>.</summary>
    public static IReadOnlyList<int> FindOwnedBy(string ownerPrefix) =>
        [.. Owned().Where(entry => entry.Mark.StartsWith(ownerPrefix, StringComparison.Ordinal)).Select(entry => entry.Pid)];

    private static IEnumerable<(int Pid, string Mark)> Owned()
    {
        var self = Environment.ProcessId;
        var prefix = OwnerVariable + "=";
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == self)
            {
                continue;
            }

            string? mark = null;
            try
            {
                mark = File.ReadAllText(Path.Combine(directory, "environ")).Split('\0')
                    .FirstOrDefault(entry => entry.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read: either way not a process we started.
            }

            if (mark is not null && Posix.IsAlive(pid))
            {
                yield return (pid, mark);
            }
        }
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
