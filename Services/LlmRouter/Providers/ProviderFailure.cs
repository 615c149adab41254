using System.ClientModel;
using System.Net;
using Polly.Timeout;

namespace Atlas.LlmRouter.Providers;

/// <summary>A provider answered with an error status (thrown by <see cref="ProviderStatusHandler"/>, before any SDK parses it).</summary>
public sealed class ProviderHttpException(int status, TimeSpan? retryAfter, bool usageLimit, bool contextTooLong)
    : Exception($"The provider answered HTTP {status}.")
{
    public int Status { get; } = status;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>A 400 saying the account's usage limit or quota is reached (a budget answer, like 402).</summary>
    public bool UsageLimit { get; } = usageLimit;

    /// <summary>A 400 saying the prompt does not fit the model's context window.</summary>
    public bool ContextTooLong { get; } = contextTooLong;
}

/// <summary>What went wrong with one provider call, reduced to what routing decides on. Never carries provider text.</summary>
public sealed record ProviderFailure(string Reason, int? Status, TimeSpan? RetryAfter, bool Cools, bool ContextTooLong)
{
    /// <summary>
    /// Classifies an exception from a provider call. Cooling errors: 401, 402, 404, 408, 429, 5xx, a 400 about the
    /// usage limit, timeouts and unreachable endpoints.
    /// </summary>
    public static ProviderFailure From(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case ProviderHttpException http:
                    return FromStatus(http.Status, http.RetryAfter, http.UsageLimit, http.ContextTooLong);
                case ClientResultException { Status: > 0 } client:
                    return FromStatus(client.Status, null, usageLimit: false, contextTooLong: false);
                case TimeoutRejectedException or TimeoutException:
                    return new ProviderFailure("timeout", (int)HttpStatusCode.RequestTimeout, null, Cools: true, ContextTooLong: false);
                case HttpRequestException:
                    return new ProviderFailure("unreachable", null, null, Cools: true, ContextTooLong: false);
            }
        }

        return new ProviderFailure("error", null, null, Cools: true, ContextTooLong: false);
    }

    public static ProviderFailure FromStatus(int status, TimeSpan? retryAfter, bool usageLimit, bool contextTooLong)
    {
        var cools = status is 401 or 402 or 404 or 408 or 429 or >= 500 || (status == 400 && usageLimit);
        var reason = status switch
        {
            429 => "rate_limited",
            402 => "budget_exhausted",
            400 when usageLimit => "budget_exhausted",
            400 when contextTooLong => "context_too_long",
            >= 500 => "server_error",
            _ => "http_" + status,
        };
        return new ProviderFailure(reason, status, retryAfter, cools, contextTooLong);
    }

    /// <summary>5xx are worth one more try of the same provider; 429 goes to the next provider instead.</summary>
    public bool Retryable => Status is >= 500;
}
