using System.Security.Cryptography;
using System.Text;

namespace Atlas.Gateway.Apis;

/// <summary>
/// Guards the ops endpoints (<c>/admin/*</c>): the caller sends <c>X-Admin-Key</c> equal to <c>Gateway:AdminApiKey</c>,
/// compared in constant time. Without a configured key the ops API is switched off (403), never open.
/// </summary>
internal sealed class AdminKeyFilter(IConfiguration configuration) : IEndpointFilter
{
    public const string HeaderName = "X-Admin-Key";
    public const string ConfigurationKey = "Gateway:AdminApiKey";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var expected = configuration[ConfigurationKey];
        if (string.IsNullOrEmpty(expected))
        {
            return TypedResults.Problem(
                $"The ops API is disabled: set {ConfigurationKey} to enable it.", statusCode: StatusCodes.Status403Forbidden);
        }

        var given = context.HttpContext.Request.Headers[HeaderName].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
        {
            return TypedResults.Problem($"Missing or wrong {HeaderName} header.", statusCode: StatusCodes.Status401Unauthorized);
        }

        return await next(context).ConfigureAwait(false);
    }
}
