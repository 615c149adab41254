using System.Net.Http.Headers;

namespace Atlas.LlmRouter.Providers;

/// <summary>
/// Turns a provider's error response into a <see cref="ProviderHttpException"/> (status, Retry-After, whether a 400 is
/// a usage-limit or context-length answer) so routing sees the same facts whichever SDK made the call. The error body
/// is read only to classify it; it is never logged or passed on.
/// </summary>
internal sealed class ProviderStatusHandler(TimeProvider time) : DelegatingHandler
{
    private const int MaxBodyChars = 4096;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var body = status == 400 ? await ReadSomeAsync(response, cancellationToken).ConfigureAwait(false) : "";
            var usageLimit = body.Contains("usage limit", StringComparison.OrdinalIgnoreCase)
                || body.Contains("insufficient_quota", StringComparison.OrdinalIgnoreCase)
                || body.Contains("quota", StringComparison.OrdinalIgnoreCase);
            var contextTooLong = body.Contains("context_length_exceeded", StringComparison.OrdinalIgnoreCase)
                || body.Contains("context length", StringComparison.OrdinalIgnoreCase);
            throw new ProviderHttpException(status, RetryAfter(response.Headers.RetryAfter), usageLimit, contextTooLong);
        }
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is { Ticks: > 0 } wait ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static async Task<string> ReadSomeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return text.Length > MaxBodyChars ? text[..MaxBodyChars] : text;
    }
}
