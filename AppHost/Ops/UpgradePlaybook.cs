using System.Text.Json.Nodes;

namespace Atlas.AppHost.Ops;

/// <summary>
/// The upgrade playbook against a running stack: <c>prepare</c> (freeze inbound, emergency backup, warm the workflow
/// caches), <c>verify</c> (smoke test, handler successes counted, an LLM provider healthy), <c>resume</c> (unfreeze).
/// Each step checks the order against <see cref="PlaybookState"/> in the data folder, says what it did, and returns
/// false when it refused or failed.
/// </summary>
internal sealed class UpgradePlaybook(OpsHttp ops, Func<ISmokeChat> chat, string dataRoot, TextWriter output, TimeProvider time)
{
    public async Task<bool> RunAsync(OpsVerb step, bool force, TimeSpan stepTimeout, CancellationToken cancellationToken)
    {
        var name = $"upgrade {step.ToString().ToLowerInvariant()}";
        var state = PlaybookState.Load(dataRoot);
        if (PlaybookRules.Refusal(step, state, force) is { } refusal)
        {
            await output.WriteLineAsync($"{name}: refused. {refusal}").ConfigureAwait(false);
            return false;
        }

        try
        {
            return step switch
            {
                OpsVerb.Prepare => await PrepareAsync(name, cancellationToken).ConfigureAwait(false),
                OpsVerb.Verify => await VerifyAsync(name, state, stepTimeout, cancellationToken).ConfigureAwait(false),
                OpsVerb.Resume => await ResumeAsync(name, cancellationToken).ConfigureAwait(false),
                _ => throw new ArgumentOutOfRangeException(nameof(step), step, "not a playbook step"),
            };
        }
        catch (Exception exception) when (exception is OpsCallException or HttpRequestException)
        {
            await output.WriteLineAsync($"{name}: FAILED: {exception.Message}").ConfigureAwait(false);
            return false;
        }
    }

    private async Task<bool> PrepareAsync(string name, CancellationToken cancellationToken)
    {
        // Recorded before the freeze: from here on inbound may be frozen, and only resume undoes that.
        new PlaybookState(PlaybookStage.Preparing, time.GetUtcNow(), []).Save(dataRoot);
        var status = await ops.FreezeAsync(cancellationToken).ConfigureAwait(false);
        await Say($"{name}: froze inbound (gateway frozen since {status["frozenSince"]}); users are told the bot is paused, admins and the smoke user still get through").ConfigureAwait(false);

        var run = await ops.BackUpNowAsync(cancellationToken).ConfigureAwait(false);
        var backups = run["backups"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        if (backups.Count == 0 || run["failures"]?.AsArray().Count > 0)
        {
            await Say($"{name}: FAILED: the emergency backup made no backup. Inbound stays frozen; run 'upgrade prepare --force' to retry, or 'upgrade resume --force' to abandon.").ConfigureAwait(false);
            return false;
        }

        var ids = backups.Select(b => b["id"]?.ToString() ?? "?").ToList();
        var size = backups.Sum(b => b["sizeBytes"]?.GetValue<long>() ?? 0);
        await Say($"{name}: emergency backup of {string.Join(", ", backups.Select(b => b["target"]?.ToString()))}: {backups.Count} backups, {size:N0} bytes ({string.Join(", ", ids)})").ConfigureAwait(false);

        var warm = await ops.WarmWorkflowAsync(cancellationToken).ConfigureAwait(false);
        var processes = warm["processes"]?.AsArray().OfType<JsonObject>().Select(p => $"{p["processId"]} v{p["version"]}") ?? [];
        await Say($"{name}: warmed the workflow caches (engine reachable, token cached; processes: {string.Join(", ", processes)})").ConfigureAwait(false);

        new PlaybookState(PlaybookStage.Prepared, time.GetUtcNow(), ids).Save(dataRoot);
        await Say($"{name}: done. Deploy now (migrations apply at start), then run 'upgrade verify'.").ConfigureAwait(false);
        return true;
    }

    private async Task<bool> VerifyAsync(string name, PlaybookState state, TimeSpan stepTimeout, CancellationToken cancellationToken)
    {
        const string Handled = "luka_handlers_success_total";
        if (SmokeTest.Unavailable(ops.Stack) is { } why)
        {
            await Say($"{name}: FAILED: {why}").ConfigureAwait(false);
            return false;
        }

        var before = await ops.ScrapeSumAsync(ops.Stack.Gateway, Handled, null, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<SmokeStep> steps;
        using (var smokeChat = chat())
        {
            steps = await SmokeTest.RunAsync(ops, smokeChat, stepTimeout, output, cancellationToken).ConfigureAwait(false);
        }

        var after = await ops.ScrapeSumAsync(ops.Stack.Gateway, Handled, null, cancellationToken).ConfigureAwait(false);
        var moved = after > before;
        await Say($"{name}: {Handled} {(moved ? "moved" : "DID NOT MOVE")}: {before:0} -> {after:0}").ConfigureAwait(false);

        var providers = await ops.LlmProvidersAsync(cancellationToken).ConfigureAwait(false);
        var healthy = providers.OfType<JsonObject>().Where(p => p["healthy"]?.GetValue<bool>() == true).Select(p => p["name"]?.ToString()).ToList();
        var all = string.Join(", ", providers.OfType<JsonObject>().Select(p => $"{p["name"]}={(p["healthy"]?.GetValue<bool>() == true ? "healthy" : "cooling down")}"));
        await Say($"{name}: LLM providers {(healthy.Count > 0 ? "healthy" : "NONE HEALTHY")}: {all}").ConfigureAwait(false);

        var passed = steps.All(s => s.Passed) && moved && healthy.Count > 0;
        if (!passed)
        {
            await Say($"{name}: FAILED. Inbound stays frozen; fix and run 'upgrade verify' again, or roll back with the backups {string.Join(", ", state.BackupIds)}.").ConfigureAwait(false);
            return false;
        }

        new PlaybookState(PlaybookStage.Verified, time.GetUtcNow(), state.BackupIds).Save(dataRoot);
        await Say($"{name}: done. Run 'upgrade resume' to unfreeze inbound.").ConfigureAwait(false);
        return true;
    }

    private async Task<bool> ResumeAsync(string name, CancellationToken cancellationToken)
    {
        var status = await ops.UnfreezeAsync(cancellationToken).ConfigureAwait(false);
        if (status["frozen"]?.GetValue<bool>() != false)
        {
            await Say($"{name}: FAILED: the gateway still reports inbound frozen.").ConfigureAwait(false);
            return false;
        }

        PlaybookState.Idle.Save(dataRoot);
        await Say($"{name}: unfroze inbound; the upgrade is complete.").ConfigureAwait(false);
        return true;
    }

    private Task Say(string line) => output.WriteLineAsync(line);
}
