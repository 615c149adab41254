using System.Diagnostics;
using Atlas.Contracts.Llm;
using Atlas.LlmRouter.Diagnostics;
using Atlas.LlmRouter.Providers;
using Atlas.LlmRouter.Routing;
using Microsoft.Extensions.Options;

namespace Atlas.LlmRouter.Verdicts;

/// <summary>
/// Classifies a message as spam or ham with the model providers, in routing order and honouring their cooldowns,
/// within <paramref name="deadline"/>. Only a model's clear one-word answer is a verdict: when the rate-limited switch
/// is on, every provider fails or cools down, or the answer is anything else, the verdict is <c>unknown</c> (the
/// rule-based responder and the apology that end the chat chain never guess a verdict).
/// </summary>
public sealed class SpamClassifier(
    ProviderCatalog catalog, ProviderHealth health, ProviderCaller caller, RateLimitSwitch rateLimit, LlmRouterMetrics metrics,
    TimeProvider time, ILogger<SpamClassifier> logger)
{
    public const string NoProvider = "none";
    private static readonly ActivitySource Source = new("Atlas.LlmRouter");

    public async Task<SpamVerdictReplied> ClassifyAsync(SpamVerdictRequested request, TimeSpan deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = Source.StartActivity("llm spam verdict");
        var started = time.GetTimestamp();
        var reply = await DecideAsync(request, deadline, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("gen_ai.provider.name", reply.Provider);
        activity?.SetTag("atlas.llm.verdict", reply.Verdict);
        metrics.Verdict(reply.Verdict, reply.Provider, time.GetElapsedTime(started));
        LlmRouterLog.VerdictGiven(logger, request.ChatId, request.MessageId, reply.Verdict, reply.Provider, reply.Reason);
        return reply;
    }

    private async Task<SpamVerdictReplied> DecideAsync(SpamVerdictRequested request, TimeSpan deadline, CancellationToken cancellationToken)
    {
        if (await rateLimit.IsOnAsync(cancellationToken).ConfigureAwait(false))
        {
            return new SpamVerdictReplied(SpamVerdictReplied.Unknown, NoProvider, "models are switched off (rate-limited)");
        }

        using var modelDeadline = new CancellationTokenSource(deadline, time);
        using var modelToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, modelDeadline.Token);
        var messages = SpamPrompt.Messages(request);
        var failures = new List<string>();
        foreach (var provider in catalog.Providers)
        {
            if (!health.IsAvailable(provider.Name))
            {
                failures.Add($"{provider.Name} cooling down");
                continue;
            }

            try
            {
                var response = await caller.CallAsync(provider, messages, modelToken.Token).ConfigureAwait(false);
                health.RecordSuccess(provider.Name);
                metrics.Tokens(provider.Name, response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0);
                var verdict = SpamPrompt.Parse(response.Text);
                return new SpamVerdictReplied(
                    verdict, provider.Name, verdict == SpamVerdictReplied.Unknown ? "the model gave no clear one-word answer" : $"classified by {provider.Model}");
            }
            catch (OperationCanceledException) when (modelDeadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                health.RecordFailure(provider.Name, ProviderFailure.FromStatus(408, null, false, false));
                LlmRouterLog.ProviderFailed(logger, provider.Name, "deadline", null);
                failures.Add($"{provider.Name} too slow");
                break;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var failure = ProviderFailure.From(exception);
                health.RecordFailure(provider.Name, failure);
                LlmRouterLog.ProviderFailed(logger, provider.Name, failure.Reason, failure.Status);
                failures.Add($"{provider.Name} failed");
            }
        }

        return new SpamVerdictReplied(
            SpamVerdictReplied.Unknown, NoProvider, failures.Count == 0 ? "no model provider is configured" : "no model answered: " + string.Join(", ", failures));
    }
}
