using System.Security.Cryptography;
using System.Text;
using Atlas.LlmRouter.Routing;
using Microsoft.Extensions.Options;

namespace Atlas.LlmRouter.Apis;

/// <summary>
/// Guards ops endpoints (admin switch, knowledge ingestion): the caller sends <c>X-Admin-Key</c> equal to
/// <c>LlmRouter:AdminApiKey</c>, compared in constant time. Without a configured key they answer 403, never open.
/// </summary>
internal sealed class AdminKeyFilter(IOptionsMonitor<RoutingOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Admin-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var expected = options.CurrentValue.AdminApiKey;
        if (string.IsNullOrEmpty(expected))
        {
            return TypedResults.Problem("This endpoint is disabled: set LlmRouter:AdminApiKey to enable it.", statusCode: StatusCodes.Status403Forbidden);
        }

        var given = context.HttpContext.Request.Headers[HeaderName].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
        {
            return TypedResults.Problem($"Missing or wrong {HeaderName} header.", statusCode: StatusCodes.Status401Unauthorized);
        }

        return await next(context).ConfigureAwait(false);
    }
}
