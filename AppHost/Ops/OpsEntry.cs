using Atlas.AppHost.Audit;
using Atlas.AppHost.Sandbox;

namespace Atlas.AppHost.Ops;

/// <summary>
/// Runs an ops verb from the command line against the stack that runs on the data folder (found through its
/// <see cref="StackDiscovery"/> file); the smoke test starts an ephemeral stack when none runs. Exit code 0 when
/// every step passed, 1 when one failed or a step was refused.
/// </summary>
internal static class OpsEntry
{
    /// <summary>From <see cref="Program"/>: prints the usage or the parse error, or runs the verb until it ends or Ctrl+C.</summary>
    public static async Task<int> MainAsync(OpsInvocation? invocation, string? usage)
    {
        if (invocation is null)
        {
            await Console.Out.WriteLineAsync(usage).ConfigureAwait(false);
            return ReferenceEquals(usage, OpsCommandLine.Usage) ? 0 : 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            return await RunAsync(invocation, Console.Out, cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Out.WriteLineAsync("Interrupted.").ConfigureAwait(false);
            return 130;
        }
    }

    public static async Task<int> RunAsync(OpsInvocation invocation, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(output);
        var stack = StackDiscovery.Read(invocation.DataRoot, out var reason);
        if (stack is not null)
        {
            return await RunAgainstAsync(stack, invocation, output, cancellationToken).ConfigureAwait(false) ? 0 : 1;
        }

        if (invocation.Verb != OpsVerb.Smoke)
        {
            await output.WriteLineAsync($"upgrade {invocation.Verb.ToString().ToLowerInvariant()}: refused. It acts on the running stack, and there is {reason}. "
                + "Start it with 'dotnet run --project AppHost' (with the same --data, if any) and wait until it says it is ready.").ConfigureAwait(false);
            return 1;
        }

        await output.WriteLineAsync($"smoke: {reason}; starting an ephemeral stack for the test (this takes a few minutes)").ConfigureAwait(false);
        await using var ephemeral = await EphemeralStack.StartAsync(output, cancellationToken).ConfigureAwait(false);
        if (ephemeral.Discovery is not { } started)
        {
            return 1;
        }

        return await RunAgainstAsync(started, invocation, output, cancellationToken).ConfigureAwait(false) ? 0 : 1;
    }

    /// <summary>
    /// The verb against a known stack; also what the dashboard commands run (<paramref name="caller"/> dashboard, else
    /// the OS user). The services record each ops call; the verb as a whole goes to the AppHost's audit file.
    /// </summary>
    public static async Task<bool> RunAgainstAsync(
        StackDiscovery stack, OpsInvocation invocation, TextWriter output, CancellationToken cancellationToken, AuditCaller? caller = null)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(invocation);
        caller ??= AuditCaller.Cli;
        var passed = false;
        try
        {
            passed = await RunVerbAsync(stack, invocation, output, caller, cancellationToken).ConfigureAwait(false);
            return passed;
        }
        finally
        {
            var verb = invocation.Verb == OpsVerb.Smoke ? "smoke" : $"upgrade {invocation.Verb.ToString().ToLowerInvariant()}";
            if (!new AppHostAuditFile(invocation.DataRoot, TimeProvider.System).Append(caller, verb + (invocation.Force ? " --force" : ""), "stack", passed, null))
            {
                await output.WriteLineAsync($"warning: {verb} could not be written to the ops audit file in {invocation.DataRoot}").ConfigureAwait(false);
            }
        }
    }

    private static async Task<bool> RunVerbAsync(StackDiscovery stack, OpsInvocation invocation, TextWriter output, AuditCaller caller, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        var ops = new OpsHttp(stack, http, caller);
        var time = TimeProvider.System;
        ISmokeChat Chat() => Chats.For(stack, ops, http, time);
        if (invocation.Verb == OpsVerb.Smoke)
        {
            if (SmokeTest.Unavailable(stack) is { } why)
            {
                await output.WriteLineAsync($"smoke: FAILED: {why}").ConfigureAwait(false);
                return false;
            }

            using var chat = Chat();
            var steps = await SmokeTest.RunAsync(ops, chat, invocation.StepTimeout, output, cancellationToken).ConfigureAwait(false);
            return steps.All(s => s.Passed);
        }

        var playbook = new UpgradePlaybook(ops, Chat, invocation.DataRoot, output, time);
        return await playbook.RunAsync(invocation.Verb, invocation.Force, invocation.StepTimeout, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Which way the smoke user talks to the bot: the Sandbox when it stands in for Telegram, else the ops chat through the webhook.</summary>
internal static class Chats
{
    public static ISmokeChat For(StackDiscovery stack, OpsHttp ops, HttpClient http, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(stack);
        if (stack.Sandbox is { } sandbox && stack.SandboxBotToken is { } token)
        {
            return new SandboxChat(new SandboxClient(http, sandbox, token), stack.SmokeUserId ?? 0, time);
        }

        if (stack.WebhookSecret is { } secret)
        {
            return new OpsChatWebhook(http, ops, secret, stack.SmokeUserId ?? 0, time);
        }

        throw new InvalidOperationException("The stack names neither the Sandbox's Telegram nor a webhook secret: no way to talk to the bot.");
    }
}
