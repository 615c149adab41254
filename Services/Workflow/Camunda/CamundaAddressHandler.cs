using Microsoft.Extensions.Options;

namespace Atlas.Workflow.Camunda;

/// <summary>
/// Sends every engine call to the Camunda:RestAddress configured now (<see cref="IOptionsMonitor{TOptions}"/>), not the
/// one the HttpClient was made with: the part of the path from <c>/v2/</c> on is kept and put after the current address.
/// So a moved cluster (a changed address in a reloaded configuration) is used without a restart, by clients made
/// before the change too.
/// </summary>
internal sealed class CamundaAddressHandler(IOptionsMonitor<CamundaOptions> options) : DelegatingHandler
{
    private const string ApiRoot = "/v2/";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is { IsAbsoluteUri: true } uri && options.CurrentValue.RestAddress is { } address
            && uri.AbsolutePath.IndexOf(ApiRoot, StringComparison.Ordinal) is var at and >= 0)
        {
            var root = address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
            var current = new Uri(root, uri.PathAndQuery[(at + 1)..]);
            if (current != uri)
            {
                request.RequestUri = current;
            }
        }

        return base.SendAsync(request, cancellationToken);
    }
}
