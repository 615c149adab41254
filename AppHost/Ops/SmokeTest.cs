using System.Diagnostics;
using System.Text.Json.Nodes;
using Atlas.AppHost.Chaos;

namespace Atlas.AppHost.Ops;

/// <summary>One step of the smoke test: passed or not, how long it took, and what was seen.</summary>
internal sealed record SmokeStep(string Name, bool Passed, long ElapsedMs, string Detail);

/// <summary>
/// The smoke test: as a user, <c>/start</c>, <c>/groups</c>, a knowledge search that must find the smoke document,
/// a workflow launch (the onboarding process, whose first job messages the smoke user), and a free-text question
/// the LLM answers. Each step is printed as it ends; every step runs even when an earlier one failed.
/// </summary>
internal static class SmokeTest
{
    public const string KnowledgeId = "atlas-ops-smoke";
    public const string KnowledgeTitle = "Atlas smoke check";
    public const string WorkflowProcess = "atlas-onboarding";

    /// <summary>Why no smoke test can run against <paramref name="stack"/>, or null.</summary>
    public static string? Unavailable(StackDiscovery stack) => stack?.SmokeUserId is null
        ? "no smoke user: against the real Telegram, set Atlas:Smoke:OpsChatId (the ops user's Telegram id, whose private chat with the bot is the ops chat) and restart the AppHost"
        : null;

    public static async Task<IReadOnlyList<SmokeStep>> RunAsync(OpsHttp ops, ISmokeChat chat, TimeSpan timeout, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ops);
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(output);
        await output.WriteLineAsync($"smoke: as Telegram user {ops.Stack.SmokeUserId} through {chat.Description}").ConfigureAwait(false);
        var steps = new List<SmokeStep>();
        async Task Step(string name, Func<Task<string>> run)
        {
            var started = Stopwatch.GetTimestamp();
            SmokeStep step;
            try
            {
                var detail = await run().ConfigureAwait(false);
                step = new SmokeStep(name, true, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, detail);
            }
            catch (Exception exception) when (exception is SmokeStepException or OpsCallException or HttpRequestException
                                                  || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                step = new SmokeStep(name, false, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, exception.Message);
            }

            steps.Add(step);
            await output.WriteLineAsync(SmokeReport.Line(step)).ConfigureAwait(false);
        }

        await Step("/start", () => chat.AskAsync("/start", "start", _ => true, timeout, cancellationToken)).ConfigureAwait(false);
        await Step("/groups", () => chat.AskAsync("/groups", "groups", _ => true, timeout, cancellationToken)).ConfigureAwait(false);
        await Step("knowledge search", async () =>
        {
            await ops.PutKnowledgeAsync(new JsonObject
            {
                ["id"] = KnowledgeId, ["title"] = KnowledgeTitle, ["source"] = "ops/smoke", ["language"] = "en", ["tags"] = new JsonArray("ops"),
                ["body"] = "The smoke canary document: the Atlas smoke test looks for it with a knowledge search after every upgrade.",
            }, cancellationToken).ConfigureAwait(false);
            return await chat.AskAsync("/search smoke canary", "search", text => text.Contains(KnowledgeTitle, StringComparison.Ordinal), timeout, cancellationToken)
                .ConfigureAwait(false);
        }).ConfigureAwait(false);
        await Step("workflow launch", async () =>
        {
            var mark = await chat.MarkAsync(cancellationToken).ConfigureAwait(false);
            var user = ops.Stack.SmokeUserId ?? 0;
            var (status, body) = await ops.StartProcessAsync(WorkflowProcess, new JsonObject { ["chatId"] = user, ["userId"] = user },
                $"smoke:{Guid.NewGuid():N}", cancellationToken).ConfigureAwait(false);
            if (status is not (200 or 201))
            {
                throw new SmokeStepException($"starting {WorkflowProcess} answered {status}: {SmokeReport.OneLine(body.ToJsonString())}");
            }

            var message = await chat.WaitForBotMessageAsync(mark, text => text.Contains("/consent", StringComparison.Ordinal), timeout, cancellationToken).ConfigureAwait(false);
            return $"instance {body["result"]?["processInstanceKey"]?.ToString() ?? "?"}; {message}";
        }).ConfigureAwait(false);
        await Step("LLM answer", () => LlmAnswerAsync(ops, chat, timeout, cancellationToken)).ConfigureAwait(false);

        await output.WriteLineAsync(SmokeReport.Summary(steps)).ConfigureAwait(false);
        return steps;
    }

    /// <summary>
    /// A model provider's answer, not LlmRouter's fallback: the answer is none of the polite degraded texts (where the
    /// chat can read it), and LlmRouter counted a model answer (<c>luka_llm_request_seconds{outcome="ok"}</c>; its
    /// apology and rule-based answers count under their own outcome). The question is new each time, so LlmRouter's
    /// response cache cannot answer it from an earlier run.
    /// </summary>
    private static async Task<string> LlmAnswerAsync(OpsHttp ops, ISmokeChat chat, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var before = await ops.ScrapeSumAsync(ops.Stack.LlmRouter, ModelAnswers, ModelAnswered, cancellationToken).ConfigureAwait(false);
        var question = $"Smoke test {Guid.NewGuid():N}: in one sentence, what does a sandbox do?";
        // The gateway's "temporarily unavailable" note may come first, and the model's late answer after it.
        var answer = await chat.AskAsync(question, "chat", text => text.Length > 0 && !text.Contains(ChaosTraffic.WaitNotice, StringComparison.Ordinal), timeout, cancellationToken)
            .ConfigureAwait(false);
        if (ChaosTraffic.IsDegraded(answer))
        {
            throw new SmokeStepException($"no model provider answered; the bot gave its fallback answer: {SmokeReport.OneLine(answer)}");
        }

        var started = TimeProvider.System.GetTimestamp();
        while (await ops.ScrapeSumAsync(ops.Stack.LlmRouter, ModelAnswers, ModelAnswered, cancellationToken).ConfigureAwait(false) <= before)
        {
            if (TimeProvider.System.GetElapsedTime(started) >= MetricsLag)
            {
                throw new SmokeStepException($"no model provider answered (llmrouter counted no {ModelAnswers}{{{ModelAnswered}}}); the bot said: {SmokeReport.OneLine(answer)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }

        return answer;
    }

    private const string ModelAnswers = "luka_llm_request_seconds_count";
    private const string ModelAnswered = "outcome=\"ok\"";
    private static readonly TimeSpan MetricsLag = TimeSpan.FromSeconds(5);
}

/// <summary>How smoke steps are printed: one line each, then a summary.</summary>
internal static class SmokeReport
{
    public static string Line(SmokeStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return System.FormattableString.Invariant($"{(step.Passed ? "PASS" : "FAIL")}  {step.Name,-18} {step.ElapsedMs,7} ms  {OneLine(step.Detail)}");
    }

    public static string Summary(IReadOnlyCollection<SmokeStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var passed = steps.Count(s => s.Passed);
        return System.FormattableString.Invariant(
            $"smoke: {(passed == steps.Count ? "passed" : "FAILED")}, {passed}/{steps.Count} steps in {steps.Sum(s => s.ElapsedMs)} ms");
    }

    /// <summary>Text on one line, at most 100 characters.</summary>
    public static string OneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var flat = string.Join(' ', text.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return flat.Length <= 100 ? flat : flat[..97] + "...";
    }
}
