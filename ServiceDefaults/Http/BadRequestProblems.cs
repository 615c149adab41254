using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atlas.ServiceDefaults.Http;

/// <summary>
/// Requests a minimal-API endpoint cannot bind (a query value that is not a number, a body that is not the expected
/// JSON, a property the body's type does not have) get 400 problem details that say why, and one log line with the
/// reason. By default ASP.NET Core answers them outside Development with a bare 400 and logs the reason at Debug only;
/// and System.Text.Json skips unknown properties, so a misspelt field in a PUT was silently replaced by its default.
/// </summary>
public static partial class BadRequestProblems
{
    /// <summary>
    /// Binding failures raise <see cref="BadHttpRequestException"/> in every environment, which
    /// <see cref="BadRequestExceptionHandler"/> answers; request bodies reject properties their type does not have
    /// (a type that must accept them says so with <see cref="JsonUnmappedMemberHandlingAttribute"/>), and text with a
    /// NUL character (<see cref="NulFreeStringConverter"/>).
    /// </summary>
    public static IServiceCollection AddBadRequestProblems(this IServiceCollection services)
    {
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            options.SerializerOptions.Converters.Add(new NulFreeStringConverter());
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        return services;
    }

    /// <summary>The reason told to the client: ASP.NET Core's own description, and System.Text.Json's where the body was at fault.</summary>
    public static string Describe(BadHttpRequestException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = Reword(exception.Message);
        return exception.InnerException is JsonException json ? $"{message} {Describe(json)}" : message;
    }

    // ASP.NET Core names the parameter with its .NET type ('Failed to bind parameter "Nullable<int> limit" from "ten".');
    // a client is told what the value should have been instead: "limit: 'ten' is not a whole number."
    private static string Reword(string message)
    {
        if (UnboundValue().Match(message) is { Success: true } unbound)
        {
            return $"{QueryName(unbound.Groups["name"].Value)}: '{unbound.Groups["value"].Value}' is not {Expected(unbound.Groups["type"].Value)}.";
        }

        if (UnreadBody().IsMatch(message))
        {
            return "The request body could not be read as JSON.";
        }

        return RequiredValue().Match(message) is { Success: true } required
            ? $"{QueryName(required.Groups["name"].Value)} is required ({Expected(required.Groups["type"].Value)}, from the {required.Groups["source"].Value})."
            : message;
    }

    // A property of an [AsParameters] type is named as declared ('ChatId'); the query key it binds from is matched
    // without regard to case, and written the way the APIs document it: 'chatId'.
    private static string QueryName(string name) => char.IsAsciiLetterUpper(name[0]) ? char.ToLowerInvariant(name[0]) + name[1..] : name;

    private static string Expected(string type) => (type.StartsWith("Nullable<", StringComparison.Ordinal) ? type[9..^1] : type) switch
    {
        "int" or "long" or "short" or "byte" or "uint" or "ulong" or "ushort" or "sbyte" => "a whole number",
        "double" or "float" or "decimal" => "a number",
        "bool" => "true or false",
        "Guid" => "a GUID",
        "DateTimeOffset" or "DateTime" => "a date and time (ISO 8601, e.g. 2026-12-04T10:00:00Z)",
        "DateOnly" => "a date (yyyy-mm-dd)",
        "TimeSpan" => "a duration (hh:mm:ss)",
        "string" => "text",
        var other => "a valid " + other,
    };

    [GeneratedRegex("^Failed to bind parameter \"(?<type>.+) (?<name>[^ \"]+)\" from \"(?<value>.*)\"\\.$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex UnboundValue();

    [GeneratedRegex("^Failed to read parameter \".+\" from the request body as JSON\\.$", RegexOptions.CultureInvariant)]
    private static partial Regex UnreadBody();

    [GeneratedRegex("^Required parameter \"(?<type>.+) (?<name>[^ \"]+)\" was not provided from (?<source>.+)\\.$", RegexOptions.CultureInvariant)]
    private static partial Regex RequiredValue();

    /// <summary>
    /// Where and why a JSON body was refused, for a client: "At $.tags (line 1, byte 40): The JSON value could not be
    /// converted to ...", without .NET namespaces. For endpoints that read their body themselves.
    /// </summary>
    public static string Describe(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        // System.Text.Json's message ends with the path and position, which are given on their own here.
        var message = exception.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var what = QualifiedTypeName().Replace(cut >= 0 ? message[..cut] : message, "$1");
        var where = exception.Path is { Length: > 0 } path ? $"At {path}" : "In the body";
        var position = exception.LineNumber is { } line ? $" (line {line + 1}, byte {exception.BytePositionInLine ?? 0})" : "";
        return $"{where}{position}: {what}";
    }

    // A .NET type's namespace is nobody's business outside the service: 'Atlas.X.Body' -> 'Body', System.Boolean -> Boolean.
    [GeneratedRegex(@"\b(?:[A-Za-z_][A-Za-z0-9_]*\.)+([A-Z][A-Za-z0-9_`]*)", RegexOptions.CultureInvariant)]
    private static partial Regex QualifiedTypeName();
}

/// <summary>Answers <see cref="BadHttpRequestException"/> with problem details naming the reason; other exceptions are left to the default 500.</summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problemDetails, ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException badRequest || httpContext.Response.HasStarted)
        {
            return false;
        }

        var reason = BadRequestProblems.Describe(badRequest);
        // The route's pattern, not the path: a path can carry a token (the Sandbox's /bot<token>/...). The middleware
        // has cleared the request's endpoint by now; its feature keeps the one that failed.
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint is RouteEndpoint route
            ? $"{httpContext.Request.Method} /{route.RoutePattern.RawText?.TrimStart('/')}"
            : httpContext.Request.Method;
        Rejected(logger, endpoint, badRequest.StatusCode, reason);
        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = badRequest.StatusCode, Title = "Invalid request", Detail = reason },
        }).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected a request to {Endpoint} with {StatusCode}: {Reason}")]
    private static partial void Rejected(ILogger logger, string endpoint, int statusCode, string reason);
}
