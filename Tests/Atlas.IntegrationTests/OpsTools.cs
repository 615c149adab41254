using System.Diagnostics;
using Atlas.Testing;

namespace Atlas.IntegrationTests;

/// <summary>What the ops-file tests share: the repository root, and running a tool (promtool, the AppHost) to its end.</summary>
internal static class OpsTools
{
    public static string RepoRoot => RepositoryFolder.Root;

    public static string BuildConfiguration =>
        typeof(OpsTools).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .OfType<System.Reflection.AssemblyConfigurationAttribute>().Single().Configuration;

    /// <summary>The AppHost's own build output, as ops run it (<c>dotnet Atlas.AppHost.dll ...</c>).</summary>
    public static string AppHostDll => Path.Combine(RepoRoot, "AppHost", "bin", BuildConfiguration, "net10.0", "Atlas.AppHost.dll");

    public static async Task<(int Code, string Output)> RunAsync(string program, string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!await process.WaitForExitAsync(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within 2 minutes");
        }

        return (process.ExitCode, await output + await errors);
    }
}
