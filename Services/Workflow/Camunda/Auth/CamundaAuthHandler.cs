using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace Atlas.Workflow.Camunda.Auth;

/// <summary>
/// Adds the configured credentials to every engine call: nothing, Basic, or a cached OAuth bearer token. A 401 with a
/// bearer token drops that token and tries once more with a fresh one (the engine may have rotated its keys). The
/// credentials are read per request (<see cref="IOptionsMonitor{TOptions}"/>), so a changed Camunda:Auth applies without a restart.
/// </summary>
internal sealed class CamundaAuthHandler(IOptionsMonitor<CamundaAuthOptions> options, OAuthTokenProvider tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var auth = options.CurrentValue;
        switch (auth.Mode)
        {
            case CamundaAuthMode.Basic:
                var pair = Encoding.UTF8.GetBytes($"{auth.Username}:{auth.Password}");
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(pair));
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            case CamundaAuthMode.OAuth:
                return await SendWithTokenAsync(request, cancellationToken).ConfigureAwait(false);
            default:
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<HttpResponseMessage> SendWithTokenAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        var token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        tokens.Invalidate(token);
        using var retry = new HttpRequestMessage(request.Method, request.RequestUri) { Content = request.Content, Version = request.Version };
        foreach (var header in request.Headers.Where(h => h.Key != "Authorization"))
        {
            retry.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        retry.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false));
        return await base.SendAsync(retry, cancellationToken).ConfigureAwait(false);
    }
}
