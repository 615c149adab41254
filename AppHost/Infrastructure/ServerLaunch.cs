using Atlas.AppHost.Hosting;

namespace Atlas.AppHost.Infrastructure;

/// <summary>
/// How a local server process is launched: as its own system user when the AppHost is root (setpriv), and behind a
/// tiny shell that turns the orchestrator's SIGTERM into the signal that server wants for a fast, clean stop.
/// </summary>
internal static class ServerLaunch
{
    // $1: the signal to send on TERM/INT; $2: "tree" to signal the server's children too (rabbitmq-server's start
    // script waits on the Erlang VM without passing signals on); $3: a command to run once the server has exited, or
    // ""; the rest: the server's command line.
    private const string Forwarder = """
        signal=$1; scope=$2; after=$3; shift 3
        "$@" &
        child=$!
        trap 'kill -s "$signal" "$child" 2>/dev/null; [ "$scope" = tree ] && pkill -"$signal" -P "$child" 2>/dev/null' TERM INT
        wait "$child"; status=$?
        while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done
        [ -n "$after" ] && $after >/dev/null 2>&1
        exit "$status"
        """;

    /// <summary>
    /// The command and arguments that start <paramref name="server"/> with <paramref name="arguments"/>;
    /// <paramref name="afterExit"/> (a command line without quoting) runs once the server has exited, whatever stopped it.
    /// </summary>
    public static (string Command, string[] Arguments) Command(
        string server, IEnumerable<string> arguments, string stopSignal, bool signalChildren, string? runAs, string? afterExit = null)
    {
        string[] forwarded = ["/bin/sh", "-c", Forwarder, "atlas-server", stopSignal, signalChildren ? "tree" : "self", afterExit ?? "", server, .. arguments];
        return runAs is not null && Posix.IsRoot
            ? ("setpriv", [$"--reuid={runAs}", $"--regid={runAs}", "--init-groups", "--", .. forwarded])
            : (forwarded[0], forwarded[1..]);
    }
}
