using System.Diagnostics;
using Atlas.LlmRouter.Conversation;
using Atlas.LlmRouter.Diagnostics;
using Atlas.LlmRouter.Knowledge;
using Atlas.LlmRouter.Locales;
using Atlas.LlmRouter.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Atlas.LlmRouter.Routing;

/// <summary>
/// Answers a question within the deadline, always: the quota and the rate-limited switch first, then the response
/// cache, then each configured provider in order (skipping those cooling down), then the rule-based responder, and
/// at last a localized apology. Only model answers are cached and remembered as context.
/// </summary>
public sealed class ChatRouter(
    ProviderCatalog catalog,
    ProviderHealth health,
    ProviderCaller caller,
    GroundingSearch grounding,
    RouterMemory memory,
    RateLimitSwitch rateLimit,
    LlmRouterMetrics metrics,
    IOptionsMonitor<RoutingOptions> routing,
    IOptionsMonitor<GroundingOptions> groundingOptions,
    TimeProvider time,
    ILogger<ChatRouter> logger)
{
    private static readonly ActivitySource Source = new("Atlas.LlmRouter");
    private string? _active;

    public async Task<ChatAnswer> AnswerAsync(ChatQuestion question, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        using var activity = Source.StartActivity("llm route");
        var started = time.GetTimestamp();
        var settings = routing.CurrentValue;
        using var modelDeadline = new CancellationTokenSource(settings.Deadline - settings.AnswerReserve, time);
        using var modelToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, modelDeadline.Token);
        var lang = question.LanguageCode ?? KnowledgeLanguages.Detect(question.Text);

        // The quota, the knowledge search and the conversation's context are independent reads: they run side by side
        // (the search and the context are simply not used when the quota is reached), and WhenAll observes every failure.
        // The response cache is looked up as soon as the context is in, beside the search: its entries are filed
        // without their passages, and an entry only serves a prompt whose passages match (checked below).
        var quota = memory.Quotas.TryStartAsync(question.UserId, cancellationToken);
        var grounded = SafeAsync(() => grounding.FindAsync(question.Text, question.LanguageCode, modelToken.Token), [], cancellationToken);
        var context = question.History is { } given ? Task.FromResult(given) : memory.Context.LoadAsync(question.ConversationId, cancellationToken);
        var cachedEntry = LookUpCacheAsync(context, lang, question.Text, cancellationToken);
        await Task.WhenAll(quota, grounded, context, cachedEntry).ConfigureAwait(false);
        if (await quota.ConfigureAwait(false) is { } resetsAt)
        {
            LlmRouterLog.QuotaReached(logger, question.UserId);
            return Finish(new ChatAnswer(RouterTexts.QuotaReached(lang, resetsAt, time.GetUtcNow()), ChatAnswer.Quota), "quota", started, activity);
        }

        var passages = await grounded.ConfigureAwait(false);
        if (await rateLimit.IsOnAsync(cancellationToken).ConfigureAwait(false))
        {
            return Finish(RulesOrApology(question, lang, passages), "rate_limited", started, activity);
        }

        var history = await context.ConfigureAwait(false);
        var prompt = new Prompt(lang, passages, history, question.Text, groundingOptions.CurrentValue.MaxPassageChars);
        if ((await cachedEntry.ConfigureAwait(false))?.For(prompt) is { } cached)
        {
            await RememberAsync(question, cached, cancellationToken).ConfigureAwait(false);
            return Finish(cached, "cache", started, activity);
        }

        string? failed = null;
        foreach (var provider in catalog.Providers)
        {
            if (failed is not null)
            {
                metrics.Fallback(failed, provider.Name);
            }

            if (!health.IsAvailable(provider.Name))
            {
                failed = provider.Name;
                continue;
            }

            var answer = await TryProviderAsync(provider, prompt, modelToken.Token, cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                failed = provider.Name;
                if (modelToken.IsCancellationRequested)
                {
                    break;
                }

                continue;
            }

            NoteActive(provider.Name);
            answer = answer with { Text = WithSources(answer.Text, passages, lang) };
            await memory.Cache.SetAsync(prompt, answer, cancellationToken).ConfigureAwait(false);
            await RememberAsync(question, answer, cancellationToken).ConfigureAwait(false);
            return Finish(answer, "ok", started, activity);
        }

        var fallback = RulesOrApology(question, lang, passages);
        if (failed is not null)
        {
            metrics.Fallback(failed, fallback.Provider);
        }

        NoteActive(fallback.Provider);
        return Finish(fallback, fallback.Provider, started, activity);
    }

    private async Task<ChatAnswer?> TryProviderAsync(ChatProvider provider, Prompt prompt, CancellationToken modelToken, CancellationToken callerToken)
    {
        var window = provider.ContextWindowChars;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                var response = await caller.CallAsync(provider, prompt.ToMessages(window), modelToken).ConfigureAwait(false);
                var text = response.Text.Trim();
                if (text.Length == 0)
                {
                    LlmRouterLog.ProviderFailed(logger, provider.Name, "empty answer", null);
                    return null;
                }

                health.RecordSuccess(provider.Name);
                var input = response.Usage?.InputTokenCount ?? 0;
                var output = response.Usage?.OutputTokenCount ?? 0;
                metrics.Tokens(provider.Name, input, output);
                return new ChatAnswer(text, provider.Name, InputTokens: input, OutputTokens: output);
            }
            catch (OperationCanceledException) when (modelToken.IsCancellationRequested && !callerToken.IsCancellationRequested)
            {
                health.RecordFailure(provider.Name, ProviderFailure.FromStatus(408, null, false, false));
                LlmRouterLog.ProviderFailed(logger, provider.Name, "deadline", null);
                return null;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !callerToken.IsCancellationRequested)
            {
                var failure = ProviderFailure.From(exception);
                LlmRouterLog.ProviderFailed(logger, provider.Name, failure.Reason, failure.Status);
                if (failure.ContextTooLong && attempt == 0)
                {
                    window /= 2;
                    continue;
                }

                health.RecordFailure(provider.Name, failure);
                return null;
            }
        }

        return null;
    }

    private async Task<CachedAnswer?> LookUpCacheAsync(Task<IReadOnlyList<ChatTurn>> context, string lang, string text, CancellationToken cancellationToken)
    {
        var history = await context.ConfigureAwait(false);
        return await memory.Cache.LookUpAsync(lang, history, text, cancellationToken).ConfigureAwait(false);
    }

    private static ChatAnswer RulesOrApology(ChatQuestion question, string lang, IReadOnlyList<KnowledgeHit> passages) =>
        RuleResponder.TryAnswer(question.Text, lang, passages) is { } rules
            ? new ChatAnswer(rules, ChatAnswer.Rules)
            : new ChatAnswer(RouterTexts.Apology(lang), ChatAnswer.Apology);

    // The answer names its sources: the passages it cites, or all that were given when it cites none.
    private static string WithSources(string text, IReadOnlyList<KnowledgeHit> passages, string lang)
    {
        if (passages.Count == 0)
        {
            return text;
        }

        var cited = passages.Where(p => text.Contains($"[doc:{p.DocumentId}]", StringComparison.Ordinal)).ToList();
        var named = (cited.Count > 0 ? cited : passages).Select(p => $"{p.Title} [doc:{p.DocumentId}]");
        return $"{text}\n\n{RouterTexts.Sources(lang)}: {string.Join("; ", named)}";
    }

    private async Task RememberAsync(ChatQuestion question, ChatAnswer answer, CancellationToken cancellationToken)
    {
        if (question.History is null && answer.IsModelAnswer)
        {
            await memory.Context.AppendAsync(question.ConversationId, question.Text, answer.Text, cancellationToken).ConfigureAwait(false);
        }

        await memory.Quotas.AddTokensAsync(question.UserId, answer.InputTokens + answer.OutputTokens, cancellationToken).ConfigureAwait(false);
    }

    private void NoteActive(string provider)
    {
        var previous = Interlocked.Exchange(ref _active, provider);
        if (previous is not null && previous != provider)
        {
            LlmRouterLog.ActiveProviderChanged(logger, previous, provider);
        }
    }

    private ChatAnswer Finish(ChatAnswer answer, string outcome, long started, Activity? activity)
    {
        activity?.SetTag("gen_ai.provider.name", answer.Provider);
        activity?.SetTag("atlas.llm.outcome", outcome);
        metrics.Request(answer.Provider, outcome, time.GetElapsedTime(started));
        return answer;
    }

    private static async Task<T> SafeAsync<T>(Func<Task<T>> action, T fallback, CancellationToken cancellationToken)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return fallback;
        }
    }
}

/// <summary>What the router keeps in Redis: conversation context, the response cache and the quotas.</summary>
public sealed record RouterMemory(ConversationStore Context, ResponseCache Cache, UserQuotas Quotas);
