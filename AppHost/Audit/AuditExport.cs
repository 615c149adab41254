using System.Globalization;
using Atlas.AppHost.Ops;

namespace Atlas.AppHost.Audit;

/// <summary>
/// <c>audit export</c>: reads every service's <c>GET /ops/audit</c> (with its ops key, from the running stack's
/// <see cref="StackDiscovery"/> file) and the AppHost's own <see cref="AppHostAuditFile"/>, and writes them merged into
/// one time-ordered JSON Lines stream. A source that cannot be read is named on the error output and makes the exit
/// code 1; the rows of the others are still written.
/// </summary>
internal static class AuditExport
{
    public static async Task<int> MainAsync(AuditInvocation? invocation, string? usage)
    {
        if (invocation is null)
        {
            await Console.Out.WriteLineAsync(usage).ConfigureAwait(false);
            return ReferenceEquals(usage, AuditCommandLine.Usage) ? 0 : 2;
        }

        if (invocation.Output is { } path)
        {
            await using var file = new StreamWriter(path, append: false);
            return await RunAsync(invocation, file, Console.Error, CancellationToken.None).ConfigureAwait(false);
        }

        return await RunAsync(invocation, Console.Out, Console.Error, CancellationToken.None).ConfigureAwait(false);
    }

    public static async Task<int> RunAsync(AuditInvocation invocation, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        var sources = new List<IReadOnlyList<AuditLine>>
        {
            new AppHostAuditFile(invocation.DataRoot, TimeProvider.System).Read(invocation.From, invocation.To),
        };
        var failed = false;
        var stack = StackDiscovery.Read(invocation.DataRoot, out var reason);
        if (stack is null)
        {
            await errors.WriteLineAsync($"audit export: {reason}; only the AppHost's own rows are exported (the services keep theirs in their databases).")
                .ConfigureAwait(false);
            failed = true;
        }
        else
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            foreach (var (service, url, key) in Services(stack))
            {
                try
                {
                    sources.Add(await FetchAsync(http, url, key, invocation, cancellationToken).ConfigureAwait(false));
                }
                catch (Exception exception) when (exception is HttpRequestException or OpsCallException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    await errors.WriteLineAsync($"audit export: {service} could not be read ({exception.Message}); its rows are missing.").ConfigureAwait(false);
                    failed = true;
                }
            }
        }

        var count = 0;
        foreach (var line in Merge(sources))
        {
            await output.WriteLineAsync(line.ToJson()).ConfigureAwait(false);
            count++;
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"audit export: {count} rows from {sources.Count} sources.")).ConfigureAwait(false);
        return failed ? 1 : 0;
    }

    /// <summary>The services' exports, each in time order, merged into one time-ordered sequence (ties: service, then id).</summary>
    public static IEnumerable<AuditLine> Merge(IEnumerable<IReadOnlyList<AuditLine>> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var queue = new PriorityQueue<(IEnumerator<AuditLine> Source, AuditLine Line), (DateTimeOffset, string, long)>();
        foreach (var source in sources)
        {
            var enumerator = source.GetEnumerator();
            if (enumerator.MoveNext())
            {
                queue.Enqueue((enumerator, enumerator.Current), Key(enumerator.Current));
            }
        }

        while (queue.TryDequeue(out var next, out _))
        {
            yield return next.Line;
            if (next.Source.MoveNext())
            {
                queue.Enqueue((next.Source, next.Source.Current), Key(next.Source.Current));
            }
        }
    }

    private static (DateTimeOffset, string, long) Key(AuditLine line) => (line.At, line.Service, line.Id);

    private static IEnumerable<(string Service, Uri Url, string Key)> Services(StackDiscovery stack)
    {
        yield return ("gateway", stack.Gateway, stack.GatewayAdminKey);
        if (stack.Moderation is { } moderation && stack.ModerationOpsKey is { } moderationKey)
        {
            yield return ("moderation", moderation, moderationKey);
        }

        yield return ("llmrouter", stack.LlmRouter, stack.LlmRouterAdminKey);
        yield return ("workflow", stack.Workflow, stack.WorkflowOpsKey);
        yield return ("backup", stack.Backup, stack.BackupOpsKey);
    }

    private static async Task<IReadOnlyList<AuditLine>> FetchAsync(HttpClient http, Uri service, string key, AuditInvocation invocation, CancellationToken cancellationToken)
    {
        var query = string.Join('&', new[] { ("from", invocation.From), ("to", invocation.To) }
            .Where(p => p.Item2 is not null)
            .Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!.Value.ToString("O", CultureInfo.InvariantCulture))}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(service, "ops/audit" + (query.Length > 0 ? "?" + query : "")));
        request.Headers.Add("X-Admin-Key", key);
        AuditCaller.Cli.Apply(request);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new OpsCallException(string.Create(CultureInfo.InvariantCulture, $"GET ops/audit answered {(int)response.StatusCode}"));
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(body);
        var lines = new List<AuditLine>();
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } text)
        {
            if (AuditLine.Parse(text) is { } line)
            {
                lines.Add(line);
            }
        }

        return lines;
    }
}
