using Atlas.AppHost.Hosting;
using Atlas.AppHost.Sandbox;

namespace Atlas.AppHost.Chaos;

/// <summary>
/// How a scenario breaks something and mends it. Local servers are stopped, killed and started through Aspire's
/// resource commands (or killed as processes); a service is killed with SIGKILL and left to the restart policy; the
/// external systems are broken through the Sandbox's switches.
/// </summary>
internal sealed class ChaosFault(ChaosScenario scenario, ResourceCommandService commands, ResourceNotificationService notifications, SandboxClient sandbox)
{
    /// <summary>The resource that must be running and healthy again before the drill ends (null: an external system).</summary>
    public string? Resource => scenario.Name switch
    {
        ChaosScenario.RabbitMqCrash => "rabbitmq",
        ChaosScenario.RedisDown => "redis",
        ChaosScenario.PostgresRestart => "postgres",
        ChaosScenario.Kill => scenario.Service,
        _ => null,
    };

    /// <summary>True when nothing is done to mend it: the restart policy brings the killed service back by itself.</summary>
    public bool HealsItself => scenario.Name == ChaosScenario.Kill;

    /// <summary>Breaks it; returns what was done, for the report.</summary>
    public async Task<string> InjectAsync(CancellationToken cancellationToken)
    {
        switch (scenario.Name)
        {
            case ChaosScenario.RabbitMqCrash:
                return $"rabbitmq: SIGKILL to {KillTree("rabbitmq")} processes";
            case ChaosScenario.RedisDown:
                await RunAsync("redis", KnownResourceCommands.StopCommand, cancellationToken).ConfigureAwait(false);
                return "redis: stopped";
            case ChaosScenario.PostgresRestart:
                // SIGTERM to its launch shell, which asks PostgreSQL for a fast shutdown (SIGINT). Aspire's Stop gives up
                // after a few seconds on a loaded machine while the server is still closing its connections.
                Signal("postgres", Posix.SigTerm);
                if (!await EndedAsync("postgres", cancellationToken).ConfigureAwait(false))
                {
                    throw new InvalidOperationException("postgres did not stop within a minute of SIGTERM.");
                }

                return "postgres: fast shutdown (SIGTERM), stopped";
            case ChaosScenario.Kill:
                return $"{scenario.Service}: SIGKILL to {KillTree(scenario.Service!)} processes";
            case ChaosScenario.LlmDown:
                await sandbox.FailLlmsAsync(503, cancellationToken).ConfigureAwait(false);
                return "sandbox: every LLM surface answers 503";
            case ChaosScenario.CamundaDown:
                await sandbox.SetCamundaDownAsync(true, cancellationToken).ConfigureAwait(false);
                return "sandbox: the Camunda engine answers 503";
            case ChaosScenario.Telegram429:
                await sandbox.FailTelegramSendsAsync(429, 2, cancellationToken).ConfigureAwait(false);
                return "sandbox: sendMessage answers 429 with parameters.retry_after 2";
            case ChaosScenario.Telegram5xx:
                await sandbox.FailTelegramSendsAsync(502, 0, cancellationToken).ConfigureAwait(false);
                return "sandbox: sendMessage answers 502";
            default:
                throw new InvalidOperationException($"Unknown chaos scenario '{scenario.Name}'.");
        }
    }

    /// <summary>Mends it (nothing for a killed service: the restart policy does).</summary>
    public async Task<string> HealAsync(CancellationToken cancellationToken)
    {
        switch (scenario.Name)
        {
            case ChaosScenario.RabbitMqCrash or ChaosScenario.RedisDown or ChaosScenario.PostgresRestart:
                await RunAsync(Resource!, KnownResourceCommands.StartCommand, cancellationToken).ConfigureAwait(false);
                return $"{Resource}: started";
            case ChaosScenario.LlmDown:
                await sandbox.ClearLlmFaultsAsync(cancellationToken).ConfigureAwait(false);
                return "sandbox: LLM surfaces answer again";
            case ChaosScenario.CamundaDown:
                await sandbox.SetCamundaDownAsync(false, cancellationToken).ConfigureAwait(false);
                return "sandbox: the Camunda engine answers again";
            case ChaosScenario.Telegram429 or ChaosScenario.Telegram5xx:
                await sandbox.ClearTelegramFaultsAsync(cancellationToken).ConfigureAwait(false);
                return "sandbox: sendMessage succeeds again";
            default:
                return $"{scenario.Service}: left to the restart policy";
        }
    }

    private async Task RunAsync(string resource, string command, CancellationToken cancellationToken)
    {
        var result = await commands.ExecuteCommandAsync(resource, command, cancellationToken).ConfigureAwait(false);
        // A server may take longer to shut down than the orchestrator waits for, and stop after all (PostgreSQL's fast
        // shutdown on a loaded machine): what counts is that it ended.
        if (!result.Success && command == KnownResourceCommands.StopCommand && await EndedAsync(resource, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (!result.Success)
        {
            throw new InvalidOperationException($"{resource}: {command} failed: {result.Message}");
        }
    }

    private async Task<bool> EndedAsync(string resource, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(1));
        try
        {
            await notifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text is { } state && Ended.Contains(state), limit.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static readonly HashSet<string> Ended = [KnownResourceStates.Exited, KnownResourceStates.Finished, KnownResourceStates.FailedToStart];

    private void Signal(string resource, int signal) => Posix.Signal(RootPid(resource), signal);

    private int RootPid(string resource) =>
        notifications.TryGetCurrentState(resource, out var state)
            && state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
            && int.TryParse(value.ToString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var pid)
            ? pid
            : throw new InvalidOperationException($"{resource} has no process (is it running?).");

    /// <summary>SIGKILL to the resource's process and everything it started (the server behind its launch shell, the service behind <c>dotnet run</c>).</summary>
    private int KillTree(string resource)
    {
        var root = RootPid(resource);
        // Leaves first, so no parent sees a child die and starts another before it is itself killed.
        var tree = Descendants(root).Reverse().Append(root).ToList();
        return tree.Count(pid => Posix.Signal(pid, Posix.SigKill));
    }

    private static IEnumerable<int> Descendants(int pid)
    {
        foreach (var child in Children(pid))
        {
            yield return child;
            foreach (var grandchild in Descendants(child))
            {
                yield return grandchild;
            }
        }
    }

    private static IEnumerable<int> Children(int pid)
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (IOException)
        {
            yield break;
        }
        catch (UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var task in tasks)
        {
            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(task, "children"));
            }
            catch (IOException)
            {
                continue;
            }

            foreach (var child in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                yield return int.Parse(child, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }
}
