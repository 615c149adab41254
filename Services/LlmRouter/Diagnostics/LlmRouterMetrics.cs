using System.Diagnostics.Metrics;
using Atlas.LlmRouter.Providers;

namespace Atlas.LlmRouter.Diagnostics;

/// <summary>
/// LlmRouter's instruments (meter <c>Atlas.LlmRouter</c>), exported as <c>luka_llm_tokens_total{provider,direction}</c>,
/// <c>luka_llm_request_seconds{provider,outcome}</c>, <c>luka_llm_spam_verdict_seconds{verdict,provider}</c>, <c>luka_llm_provider_health{provider}</c> (1 healthy, 0 cooling
/// down) and <c>luka_llm_fallback_total{from,to}</c>. Tags carry names only, never text.
/// </summary>
public sealed class LlmRouterMetrics
{
    public const string MeterName = "Atlas.LlmRouter";

    private readonly Counter<long> _tokens;
    private readonly Histogram<double> _requestSeconds;
    private readonly Counter<long> _fallbacks;
    private readonly Histogram<double> _verdictSeconds;

    public LlmRouterMetrics(IMeterFactory meterFactory, ProviderHealth health)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(health);
        var meter = meterFactory.Create(MeterName);
        _tokens = meter.CreateCounter<long>("luka_llm_tokens", description: "Tokens sent to (input) and received from (output) providers.");
        _requestSeconds = meter.CreateHistogram<double>(
            "luka_llm_request", unit: "s", description: "Time to answer a chat request, by answering provider and outcome.");
        _verdictSeconds = meter.CreateHistogram<double>(
            "luka_llm_spam_verdict", unit: "s", description: "Time to classify a message for Moderation, by verdict (spam, ham, unknown) and provider.");
        _fallbacks = meter.CreateCounter<long>("luka_llm_fallback", description: "Moves from a failing or cooling provider to the next one.");
        meter.CreateObservableGauge(
            "luka_llm_provider_health",
            () => ProviderCatalog.ModelProviderNames.Select(p => new Measurement<int>(health.IsAvailable(p) ? 1 : 0, new KeyValuePair<string, object?>("provider", p))),
            description: "1 while a provider is healthy, 0 while it cools down.");
    }

    public void Tokens(string provider, long input, long output)
    {
        if (input > 0)
        {
            _tokens.Add(input, new("provider", provider), new("direction", "input"));
        }

        if (output > 0)
        {
            _tokens.Add(output, new("provider", provider), new("direction", "output"));
        }
    }

    public void Request(string provider, string outcome, TimeSpan elapsed) =>
        _requestSeconds.Record(elapsed.TotalSeconds, new("provider", provider), new("outcome", outcome));

    public void Verdict(string verdict, string provider, TimeSpan elapsed) =>
        _verdictSeconds.Record(elapsed.TotalSeconds, new("verdict", verdict), new("provider", provider));

    public void Fallback(string from, string to) => _fallbacks.Add(1, new("from", from), new("to", to));
}
