using System.Globalization;
using Atlas.AppHost.Hosting;

namespace Atlas.AppHost.Infrastructure;

/// <summary>
/// Every process this AppHost starts carries <c>ATLAS_APPHOST_OWNER=&lt;data folder&gt;|&lt;AppHost pid&gt;</c>, set in the
/// AppHost's own environment (so DCP and the dashboard inherit it) and on every resource. A server left running by an
/// AppHost that was killed outright is found by it at the next start, and the test command finds anything left behind.
/// </summary>
internal static class OwnerMark
{
    public const string Variable = "ATLAS_APPHOST_OWNER";

    public static string For(string dataRoot) => $"{dataRoot}|{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Stops what an earlier AppHost on <paramref name="dataRoot"/> left running when that AppHost is gone: TERM, then
    /// KILL after a grace period. PostgreSQL recovers from its log at the next start either way.
    /// </summary>
    public static Task StopOrphansAsync(string dataRoot, TimeSpan grace, CancellationToken cancellationToken) =>
        StopOrphansMarkedAsync(dataRoot + "|", dataRoot, grace, cancellationToken);

    /// <summary>
    /// Stops what gone AppHosts left running in any data folder whose path starts with <paramref name="folderPrefix"/>.
    /// A test run takes a new temp folder each time, so the sweep of its own folder never meets what an earlier run
    /// left: a test host stopped outright (a debugger session ended, a hang timeout) takes its servers along through
    /// the orchestrator, but not the Erlang port mapper RabbitMQ starts as a daemon.
    /// </summary>
    public static Task StopOrphansUnderAsync(string folderPrefix, TimeSpan grace, CancellationToken cancellationToken) =>
        StopOrphansMarkedAsync(folderPrefix, folderPrefix + "*", grace, cancellationToken);

    private static async Task StopOrphansMarkedAsync(string markPrefix, string where, TimeSpan grace, CancellationToken cancellationToken)
    {
        var orphans = Find(markPrefix).Where(p => !Posix.IsAlive(p.Owner)).Select(p => p.Pid).ToList();
        if (orphans.Count > 0)
        {
            Console.Out.WriteLine($"Stopping {orphans.Count} process(es) left running in {where} by an AppHost that is gone.");
            await StopAsync(orphans, grace, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Once the orchestrator has stopped every resource: anything still carrying this AppHost's own mark (the Erlang port
    /// mapper RabbitMQ starts as a daemon, a server that ignored its stop) is stopped too, so nothing outlives the AppHost.
    /// </summary>
    public static void StopLeftovers(string dataRoot)
    {
        var mine = For(dataRoot);
        var leftovers = Find(mine).Select(p => p.Pid).ToList();
        if (leftovers.Count > 0)
        {
            StopAsync(leftovers, TimeSpan.FromSeconds(10), CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    private static async Task StopAsync(List<int> orphans, TimeSpan grace, CancellationToken cancellationToken)
    {
        orphans.ForEach(pid => Posix.Signal(pid, Posix.SigTerm));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(grace);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            while (orphans.Any(Posix.IsAlive) && await timer.WaitForNextTickAsync(timeout.Token).ConfigureAwait(false))
            {
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            orphans.ForEach(pid => Posix.Signal(pid, Posix.SigKill));
        }
    }

    /// <summary>Processes whose mark starts with <paramref name="prefix"/>, with the AppHost pid from their mark.</summary>
    public static IEnumerable<(int Pid, int Owner)> Find(string prefix)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            string? mark = null;
            try
            {
                mark = File.ReadAllText(Path.Combine(directory, "environ")).Split('\0')
                    .FirstOrDefault(e => e.StartsWith(Variable + "=", StringComparison.Ordinal))?[(Variable.Length + 1)..];
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }

            if (mark is not null && mark.StartsWith(prefix, StringComparison.Ordinal)
                && int.TryParse(mark[(mark.LastIndexOf('|') + 1)..], CultureInfo.InvariantCulture, out var owner) && Posix.IsAlive(pid))
            {
                yield return (pid, owner);
            }
        }
    }
}
