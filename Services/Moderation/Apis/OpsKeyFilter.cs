using System.Security.Cryptography;
using System.Text;
using Atlas.Moderation.Settings;
using Microsoft.Extensions.Options;

namespace Atlas.Moderation.Apis;

/// <summary>
/// Guards <c>/moderation/*</c>: the caller sends <c>X-Admin-Key</c> equal to <c>Moderation:OpsApiKey</c> (constant-time
/// compare). Without a configured key the ops API is off (403), never open.
/// </summary>
internal sealed class OpsKeyFilter(IOptions<ModerationOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Admin-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var expected = options.Value.OpsApiKey;
        if (string.IsNullOrEmpty(expected))
        {
            return TypedResults.Problem("The moderation ops API is disabled: set Moderation:OpsApiKey to enable it.", statusCode: StatusCodes.Status403Forbidden);
        }

        var given = context.HttpContext.Request.Headers[HeaderName].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
        {
            return TypedResults.Problem($"Missing or wrong {HeaderName} header.", statusCode: StatusCodes.Status401Unauthorized);
        }

        return await next(context).ConfigureAwait(false);
    }
}
