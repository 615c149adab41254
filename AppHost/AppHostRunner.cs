using System.Runtime.InteropServices;
using System.Text;
using Atlas.AppHost.Hosting;

namespace Atlas.AppHost;

/// <summary>Runs the AppHost interactively: start, print the resource table, wait for Ctrl+C or SIGTERM, stop in order.</summary>
internal static class AppHostRunner
{
    public static async Task<int> RunAsync(DistributedApplication app, AppHostCommandLine command)
    {
        using var shutdown = new CancellationTokenSource();
        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            shutdown.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        try
        {
            Console.Out.WriteLine($"Atlas AppHost: data in {app.Data.Root}");
            await app.StartAsync(shutdown.Token).ConfigureAwait(false);
            Console.Out.WriteLine();
            Console.Out.WriteLine(ResourceTable.Render(app.Resources));
            if (command.EnvFile is not null)
            {
                await WriteEnvFileAsync(app, command.EnvFile, shutdown.Token).ConfigureAwait(false);
            }

            Console.Out.WriteLine("Atlas is running. Press Ctrl+C to stop.");
            await Task.Delay(Timeout.Infinite, shutdown.Token).ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"Atlas could not start: {exception.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            Console.Out.WriteLine("Stopping Atlas...");
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            if (!command.Options.Persistent)
            {
                TryDelete(app.Data.Root);
            }

            Console.Out.WriteLine("Atlas stopped.");
        }
    }

    /// <summary>Shell-sourceable lines (<c>ATLAS_TEST_REDIS='...'</c>), written to a temp file then moved, so a reader never sees half a file.</summary>
    private static async Task WriteEnvFileAsync(DistributedApplication app, string path, CancellationToken cancellationToken)
    {
        var lines = new StringBuilder();
        foreach (var resource in app.Resources.OfType<IResourceWithConnectionString>())
        {
            lines.Append(CultureInfoName(resource.Name)).Append("='").Append(resource.ConnectionString).AppendLine("'");
        }

        foreach (var rabbit in app.Resources.OfType<Infrastructure.RabbitMqResource>().Where(r => r.ManagementUrl is not null))
        {
            lines.Append(CultureInfoName(rabbit.Name + "_management")).Append("='").Append(rabbit.ManagementUrl).AppendLine("'");
        }

        var temporary = path + ".tmp";
        await PrivateFile.WriteAsync(temporary, lines.ToString(), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    private static string CultureInfoName(string resourceName) => "ATLAS_TEST_" + resourceName.ToUpperInvariant().Replace('-', '_');

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Could not remove {folder}: {exception.Message}");
        }
    }
}
