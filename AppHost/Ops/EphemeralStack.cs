using System.Diagnostics;
using Atlas.AppHost.Hosting;

namespace Atlas.AppHost.Ops;

/// <summary>
/// A whole stack for one smoke test when none runs: this AppHost started again as a child process with
/// <c>--ephemeral --no-dashboard</c> on a temporary data folder and free ports; ready when its discovery file
/// appears; stopped (SIGINT, then killed after a minute) and its folder removed when disposed. Its console goes to a
/// log file, named when the start fails.
/// </summary>
internal sealed class EphemeralStack : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(8);
    private readonly Process _process;
    private readonly string _log;

    private EphemeralStack(Process process, string log)
    {
        _process = process;
        _log = log;
    }

    /// <summary>The started stack, or null when it did not start (the reason was printed).</summary>
    public StackDiscovery? Discovery { get; private set; }

    public static async Task<EphemeralStack> StartAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var data = Directory.CreateTempSubdirectory("atlas-smoke-").FullName;
        var log = Path.Combine(Path.GetTempPath(), $"atlas-smoke-{Environment.ProcessId}.log");
        var self = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(EphemeralStack).Assembly.Location);
        }

        foreach (var argument in (string[])["--ephemeral", "--no-dashboard", "--data", data,
                     $"--ASPNETCORE_URLS=http://127.0.0.1:{FreePort.Next()}", $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{FreePort.Next()}",
                     "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true"])
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {self}.");
        var stack = new EphemeralStack(process, log);
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Append(writer, e.Data);
        process.ErrorDataReceived += (_, e) => Append(writer, e.Data);
        process.Exited += (_, _) => writer.Dispose();
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var started = Stopwatch.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested && Stopwatch.GetElapsedTime(started) < StartTimeout && !process.HasExited)
        {
            if (StackDiscovery.Read(data, out _) is { } discovery)
            {
                stack.Discovery = discovery;
                await output.WriteLineAsync($"smoke: the ephemeral stack is ready after {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s").ConfigureAwait(false);
                return stack;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }

        await output.WriteLineAsync(process.HasExited
            ? $"smoke: FAILED: the ephemeral stack exited with code {process.ExitCode} before it was ready; its console is in {log}"
            : $"smoke: FAILED: the ephemeral stack was not ready within {StartTimeout.TotalMinutes:0} minutes; its console is in {log}").ConfigureAwait(false);
        return stack;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Posix.Signal(_process.Id, Posix.SigInt);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        if (Discovery is not null && _process.ExitCode == 0)
        {
            File.Delete(_log);
        }

        _process.Dispose();
    }

    private static void Append(StreamWriter writer, string? line)
    {
        if (line is null)
        {
            return;
        }

        try
        {
            writer.WriteLine(line);
        }
        catch (ObjectDisposedException)
        {
            // The process ended while its last lines were being read.
        }
    }
}
