using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Atlas.ServiceDefaults.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.ServiceDefaults.Security;

/// <summary>
/// The one guard for every service's ops endpoints: the caller sends <see cref="HeaderName"/> equal to the key under
/// a configuration path of the service's choosing, compared in constant time. The key is read per request, so a
/// reloaded configuration takes effect at once. Without a configured key the endpoints answer 403, never open.
/// In a service with the ops audit (<c>AddOpsAudit</c>) every state-changing call, refused or not, is also recorded
/// there (see <see cref="OpsAuditTrail"/>).
/// </summary>
public static class OpsKey
{
    public const string HeaderName = "X-Admin-Key";

    /// <summary>Guards the endpoint or group with the ops key found at <paramref name="configurationKey"/>.</summary>
    public static TBuilder RequireOpsKey<TBuilder>(this TBuilder builder, string configurationKey)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configurationKey);
        return builder.AddEndpointFilter(new OpsKeyFilter(configurationKey));
    }

    /// <summary>True when <paramref name="given"/> equals <paramref name="expected"/>, in time independent of where they differ.</summary>
    public static bool Matches(string? given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given ?? string.Empty), Encoding.UTF8.GetBytes(expected));

    private sealed class OpsKeyFilter(string configurationKey) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var refusal = Check(context.HttpContext, configurationKey);
            if (OpsAuditTrail.For(context.HttpContext) is { } audit)
            {
                return await OpsAuditTrail.InvokeAsync(audit, context, next, refusal).ConfigureAwait(false);
            }

            return refusal ?? await next(context).ConfigureAwait(false);
        }

        private static ProblemHttpResult? Check(HttpContext context, string configurationKey)
        {
            var expected = context.RequestServices.GetRequiredService<IConfiguration>()[configurationKey];
            if (string.IsNullOrEmpty(expected))
            {
                return TypedResults.Problem(
                    $"The ops API is disabled: set {configurationKey} to enable it.", statusCode: StatusCodes.Status403Forbidden);
            }

            return Matches(context.Request.Headers[HeaderName].ToString(), expected)
                ? null
                : TypedResults.Problem($"Missing or wrong {HeaderName} header.", statusCode: StatusCodes.Status401Unauthorized);
        }
    }
}
