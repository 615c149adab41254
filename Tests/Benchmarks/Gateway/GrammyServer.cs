using System.Diagnostics;
using Atlas.AppHost.Hosting;

namespace Atlas.Benchmarks.Gateway;

/// <summary>
/// grammY 1.46 from npm, installed into the benchmark's temp folder, serving <c>webhookCallback</c> on Node's http
/// server with a no-op message handler and the same secret token check as the gateway. The bot's identity is given,
/// so grammY calls no Telegram method. When Node or npm is missing or the install fails, says why instead.
/// </summary>
internal sealed class GrammyServer : IDisposable
{
    public const string Version = "1.46.0";

    private GrammyServer(Process? process, Uri? url, string? problem)
    {
        Process = process;
        Url = url;
        Problem = problem;
    }

    public Process? Process { get; }

    public Uri? Url { get; }

    public string? Problem { get; }

    public static async Task<GrammyServer> StartAsync(string folder)
    {
        if (!Tool.Exists("node") || !Tool.Exists("npm"))
        {
            return new GrammyServer(null, null, "Node.js and npm are not installed (apt-get install nodejs npm)");
        }

        var install = await RunAsync("npm", ["install", "--prefix", folder, $"grammy@{Version}", "--no-audit", "--no-fund", "--loglevel=error"], TimeSpan.FromMinutes(3));
        if (install is not null)
        {
            return new GrammyServer(null, null, "npm install grammy failed: " + install);
        }

        var server = Path.Combine(folder, "server.js");
        await File.WriteAllTextAsync(server, ServerScript);
        var port = FreePort.Next();
        var start = new ProcessStartInfo("node", [server]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["SECRET"] = "bench-webhook-secret";
        var node = Process.Start(start)!;
        var listening = await node.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (listening != "listening")
        {
            node.Kill();
            node.Dispose();
            return new GrammyServer(null, null, "grammY did not start: " + listening + await node.StandardError.ReadToEndAsync());
        }

        return new GrammyServer(node, new Uri($"http://127.0.0.1:{port}/"), null);
    }

    public void Dispose()
    {
        if (Process is { HasExited: false })
        {
            Process.Kill();
        }

        Process?.Dispose();
    }

    // Null when the command succeeded, else what it printed.
    private static async Task<string?> RunAsync(string file, string[] args, TimeSpan timeout)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return $"no answer within {timeout.TotalSeconds:0} s";
        }

        return process.ExitCode == 0 ? null : (await errors + await output).Trim();
    }

    private const string ServerScript = """
        const http = require("node:http");
        const { Bot, webhookCallback } = require("grammy");
        const bot = new Bot("123456:bench", {
          botInfo: {
            id: 123456, is_bot: true, first_name: "Bench", username: "bench_bot", can_join_groups: true,
            can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false,
            has_main_web_app: false,
          },
        });
        bot.on("message", () => {});
        const handle = webhookCallback(bot, "http", { secretToken: process.env.SECRET });
        http.createServer(handle).listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listening"));
        """;
}
