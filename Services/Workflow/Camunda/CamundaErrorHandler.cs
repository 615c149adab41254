using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Atlas.Workflow.Camunda;

/// <summary>
/// Turns every failed engine call into one of two exceptions: <see cref="EngineUnavailableException"/> when the
/// engine could not take it (no connection, timeout, 5xx, 429, 401/403) and <see cref="CamundaProblemException"/>
/// with the problem's title and detail otherwise. Callers never see Refit's exceptions or raw status codes.
/// </summary>
internal sealed class CamundaErrorHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            throw new EngineUnavailableException($"Camunda could not be reached ({exception.HttpRequestError})", exception);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EngineUnavailableException("Camunda did not answer in time", exception);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var problem = await ReadProblemAsync(response, cancellationToken).ConfigureAwait(false);
            var title = problem?.Title ?? response.ReasonPhrase ?? "Error";
            var detail = problem?.Detail ?? $"Camunda answered {status}.";
            if (status >= 500 || response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new EngineUnavailableException($"Camunda answered {status} {title}: {detail}");
            }

            throw new CamundaProblemException(status, title, detail);
        }
    }

    private static async Task<CamundaProblemDetail?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return response.Content.Headers.ContentLength == 0 ? null
                : await response.Content.ReadFromJsonAsync<CamundaProblemDetail>(JsonSerializerOptions.Web, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}
