using System.Net.Sockets;
using Atlas.AppHost.Processes;

namespace Atlas.AppHost.Hosting;

/// <summary>Polls a condition until a resource is healthy, its process dies, or the startup timeout passes.</summary>
internal static class Readiness
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>Polls <paramref name="probe"/>; a process that exits meanwhile fails the start with its last output.</summary>
    public static async Task WaitAsync(Func<CancellationToken, Task<bool>> probe, ManagedProcess? process, ResourceContext context, string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(context.Options.StartupTimeout);
        try
        {
            while (true)
            {
                if (process is { HasExited: true })
                {
                    throw new InvalidOperationException(
                        $"{what} exited with code {process.ExitCode} while starting. Its last output:{Environment.NewLine}" +
                        string.Join(Environment.NewLine, context.Log.Tail(25)));
                }

                if (await probe(timeout.Token).ConfigureAwait(false))
                {
                    return;
                }

                await Task.Delay(Interval, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"{what} was not healthy within {context.Options.StartupTimeout.TotalSeconds:0} s. Its last output:{Environment.NewLine}" +
                string.Join(Environment.NewLine, context.Log.Tail(25)));
        }
    }

    public static async Task WaitForHttpAsync(Uri url, ManagedProcess process, ResourceContext context, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await WaitAsync(async token =>
        {
            try
            {
                using var response = await http.GetAsync(url, token).ConfigureAwait(false);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException) when (!token.IsCancellationRequested)
            {
                return false;
            }
        }, process, context, url.ToString(), cancellationToken).ConfigureAwait(false);
    }

    public static async Task<bool> TcpAcceptsAsync(string host, int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
