using System.Collections.Concurrent;
using System.Diagnostics;
using Atlas.Testing;

namespace Atlas.IntegrationTests;

/// <summary>The AppHost in a process of its own, as a person starts it: its build output, or <c>dotnet run</c> on the project.</summary>
internal static class AppHostProcess
{
    /// <summary>
    /// Starts the AppHost with <paramref name="args"/> and returns once <paramref name="envFile"/> exists, which the
    /// AppHost writes when its servers are healthy. The test's own variables go into the AppHost's environment; the
    /// process id goes into <paramref name="started"/> at once, so a test can clean up after a start that failed.
    /// </summary>
    public static async Task<Process> StartAsync(
        string envFile, bool underDotnetRun, IEnumerable<string> args, ICollection<int> started, IReadOnlyDictionary<string, string>? environment = null)
    {
        var projectPath = Projects.Atlas_AppHost.ProjectPath;
        var project = Directory.Exists(projectPath) ? projectPath : Path.GetDirectoryName(projectPath)!;
        var appHostDll = typeof(Atlas.AppHost.Hosting.DataFolder).Assembly.Location;
        string[] all = ["--env-file", envFile, .. args];
        // As from a terminal: SIGINT at its default. A test run started in the background (as `cmd &` from a script)
        // inherits SIGINT ignored, the runtime then honours that, and Ctrl+C would be tested against a deaf process.
        string[] command = underDotnetRun
            ? ["dotnet", "run", "--project", project, "--no-build", "--no-launch-profile", "-c", BuildConfiguration, "--", .. all]
            : ["dotnet", Path.Combine(project, "bin", BuildConfiguration, "net10.0", Path.GetFileName(appHostDll)), .. all];
        var start = new ProcessStartInfo("env", ["--default-signal=INT", .. command]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        started.Add(process.Id);
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var ready = await Eventually.PollAsync(() => Task.FromResult(File.Exists(envFile) || process.HasExited), done => done, TimeSpan.FromMinutes(3))
            .ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
        ready.Should().BeTrue("the servers should be healthy within 3 minutes; the AppHost said:\n" + string.Join('\n', output));
        process.HasExited.Should().BeFalse("the AppHost should be running; it said:\n" + string.Join('\n', output));
        return process;
    }

    /// <summary>The connection strings the AppHost wrote (<c>ATLAS_TEST_REDIS='...'</c> lines), by resource.</summary>
    public static IReadOnlyDictionary<string, string> ReadEnvFile(string envFile) =>
        File.ReadAllLines(envFile).Where(l => l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0].Replace("ATLAS_TEST_", "", StringComparison.Ordinal).ToLowerInvariant(), p => p[1].Trim('\''));

    private static string BuildConfiguration =>
        typeof(AppHostProcess).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .OfType<System.Reflection.AssemblyConfigurationAttribute>().Single().Configuration;
}
