using System.Diagnostics;

namespace Atlas.AppHost.Processes;

/// <summary>
/// A child process the AppHost supervises: output captured line by line, stopped with a chosen signal and a grace
/// period, then killed. It runs in a session of its own (setsid), so a Ctrl+C in the terminal reaches only the
/// AppHost, which then stops its children in order.
/// </summary>
public sealed class ManagedProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ManagedProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/>. When <paramref name="runAs"/> is given
    /// and we are root, the process drops to that user first (servers such as PostgreSQL refuse to run as root).
    /// </summary>
    public static ManagedProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?> environment,
        string workingDirectory,
        ResourceLog log,
        string? runAs = null)
    {
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (runAs is not null && Posix.IsRoot)
        {
            foreach (var part in (string[])["setpriv", $"--reuid={runAs}", $"--regid={runAs}", "--init-groups", "--"])
            {
                start.ArgumentList.Add(part);
            }
        }

        start.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => log.Write(e.Data);
        process.ErrorDataReceived += (_, e) => log.Write(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {fileName}.");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ManagedProcess(process);
    }

    /// <summary>Waits for the process to exit, up to <paramref name="timeout"/>; true when it did.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// Sends <paramref name="signal"/> to <paramref name="target"/> (this process unless a descendant is named), waits
    /// up to <paramref name="grace"/>, then kills this process and everything below it.
    /// </summary>
    public async Task StopAsync(int signal, TimeSpan grace, int? target = null)
    {
        if (_process.HasExited)
        {
            return;
        }

        Posix.Signal(target ?? Id, signal);
        if (!await WaitForExitAsync(grace).ConfigureAwait(false))
        {
            KillTree();
            await WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// SIGKILL to this process and all its descendants, parent first. Unlike Process.Kill(entireProcessTree), which
    /// stops the whole tree before killing it, an interruption here (an exiting test host) cannot leave frozen
    /// processes behind: children of a killed server notice and exit on their own.
    /// </summary>
    public void KillTree()
    {
        if (_process.HasExited)
        {
            return;
        }

        var tree = new List<int> { Id };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(ProcessTable.ChildrenOf(tree[i]));
        }

        foreach (var pid in tree)
        {
            Posix.Signal(pid, Posix.SigKill);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            KillTree();
            await WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }

        _process.Dispose();
    }
}
