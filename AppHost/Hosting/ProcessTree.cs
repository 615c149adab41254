using System.Globalization;

namespace Atlas.AppHost.Hosting;

/// <summary>A process and everything it started, read from /proc.</summary>
internal static class ProcessTree
{
    /// <summary>SIGKILLs <paramref name="root"/> and its descendants (a stopped process dies of SIGKILL too).</summary>
    public static void Kill(int root)
    {
        foreach (var pid in Descendants(root).Prepend(root))
        {
            Posix.Signal(pid, Posix.SigKill);
        }
    }

    /// <summary>The processes below <paramref name="root"/>, children before grandchildren.</summary>
    public static IReadOnlyList<int> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ParentOf(pid) is { } parent)
            {
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(pid);
            }
        }

        var found = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.TryDequeue(out var next))
        {
            foreach (var child in children.GetValueOrDefault(next, []))
            {
                found.Add(child);
                queue.Enqueue(child);
            }
        }

        return found;
    }

    // /proc/<pid>/stat: "pid (name) state ppid ..."; the name may hold spaces and parentheses, so read after the last ')'.
    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent) ? parent : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
