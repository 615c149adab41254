using System.Globalization;
using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Llm;

/// <summary>Applies a surface's switch to one request, answering errors in that surface's error shape.</summary>
internal static class LlmFaultResponder
{
    /// <summary>The error answer for <paramref name="fault"/>, or null when the request goes on (after any delay).</summary>
    public static async Task<IResult?> ApplyAsync(LlmFault? fault, string surface, HttpContext http, TimeProvider time, LlmSurfaceState state)
    {
        switch (fault?.Kind)
        {
            case null:
                return null;
            case "slow":
                // The wait is armed before the request counts as held (see LlmSurfaceState.Held).
                var delay = Task.Delay(TimeSpan.FromMilliseconds(fault.DelayMs ?? 0), time, http.RequestAborted);
                using (state.Hold(surface))
                {
                    await delay.ConfigureAwait(false);
                }

                return null;
            case "hang":
                try
                {
                    var hang = Task.Delay(Timeout.InfiniteTimeSpan, time, http.RequestAborted);
                    using (state.Hold(surface))
                    {
                        await hang.ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException)
                {
                    // The caller gave up, which is what a hang is for.
                }

                return Results.Empty;
            case "rateLimit":
                http.Response.Headers.RetryAfter = (fault.RetryAfterSeconds ?? 1).ToString(CultureInfo.InvariantCulture);
                return Error(surface, StatusCodes.Status429TooManyRequests, fault.Message ?? "Rate limit reached for requests (sandbox switch).", "requests", "rate_limit_exceeded");
            default:
                if (fault.RetryAfterSeconds is { } wait)
                {
                    http.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
                }

                var status = fault.Status ?? StatusCodes.Status500InternalServerError;
                return Error(surface, status, fault.Message ?? "The server had an error while processing your request (sandbox switch).", TypeFor(status), null);
        }
    }

    /// <summary>An error as the surface writes it: Ollama <c>{"error": "..."}</c>, OpenAI <c>{"error": {message, type, param, code}}</c>.</summary>
    public static IResult Error(string surface, int status, string message, string type, string? code, string? param = null)
    {
        JsonObject body = surface == LlmSurfaceState.Ollama
            ? new JsonObject { ["error"] = message }
            : new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code } };
        return Results.Json(body, statusCode: status);
    }

    private static string TypeFor(int status) => status switch
    {
        >= 500 => "server_error",
        401 => "authentication_error",
        402 or 429 => "insufficient_quota",
        404 => "not_found_error",
        _ => "invalid_request_error",
    };
}
