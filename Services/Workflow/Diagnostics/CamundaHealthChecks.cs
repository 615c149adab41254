using Atlas.Workflow.Camunda;
using Atlas.Workflow.Camunda.Auth;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Atlas.Workflow.Diagnostics;

/// <summary>
/// Readiness check <c>camunda</c>: the engine's <c>GET /v2/status</c> (it needs no credentials, so this check says
/// nothing about the token endpoint). Down is reported as degraded: the service still takes work and parks it.
/// </summary>
internal sealed class CamundaEngineHealthCheck(IHttpClientFactory clients, IOptionsMonitor<CamundaOptions> options) : IHealthCheck
{
    public const string HttpClientName = "camunda-status";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await clients.CreateClient(HttpClientName)
                .GetAsync(new Uri(options.CurrentValue.RestAddress!, "v2/status"), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy()
                : new HealthCheckResult(context.Registration.FailureStatus, $"Camunda status answered {(int)response.StatusCode}; engine work is parked");
        }
        catch (HttpRequestException exception)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Camunda unreachable ({exception.HttpRequestError}); engine work is parked");
        }
    }
}

/// <summary>
/// Readiness check <c>camunda-token</c>: with OAuth, whether an access token can be had (a cached one counts); with
/// other modes there is no token endpoint and the check is healthy.
/// </summary>
internal sealed class CamundaTokenHealthCheck(IOptionsMonitor<CamundaAuthOptions> options, OAuthTokenProvider tokens) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (options.CurrentValue.Mode != CamundaAuthMode.OAuth)
        {
            return HealthCheckResult.Healthy($"No token endpoint (auth mode {options.CurrentValue.Mode})");
        }

        try
        {
            await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (TokenEndpointUnavailableException exception)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, exception.Reason + "; engine work is parked");
        }
    }
}
