using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Atlas.Sandbox.Cas;

/// <summary>
/// A stand-in for a CAS-compatible known-spammer list: <c>GET /cas/check?user_id=N</c> answers
/// <c>{"ok":true,"result":{...}}</c> for a listed user and <c>{"ok":false,"description":...}</c> otherwise. Tests list
/// users with <c>PUT /sandbox/cas/users/{id}</c> and read how often a user was looked up at <c>GET /sandbox/cas/users/{id}</c>.
/// </summary>
internal static class CasSandbox
{
    public static void AddCasSandbox(this IServiceCollection services) => services.AddSingleton<CasList>();

    public static void MapCasSandbox(this IEndpointRouteBuilder app)
    {
        app.MapGet("/cas/check", Check).WithName("SandboxCasCheck");
        var control = app.MapGroup("/sandbox/cas/users");
        control.MapPut("/{userId:long}", (long userId, CasList list, TimeProvider time) =>
        {
            list.Listed[userId] = time.GetUtcNow();
            return TypedResults.NoContent();
        }).WithName("ListSandboxCasUser");
        control.MapGet("/{userId:long}", (long userId, CasList list) => TypedResults.Ok(new JsonObject
        {
            ["listed"] = list.Listed.ContainsKey(userId),
            ["checks"] = list.Checks.GetValueOrDefault(userId),
        })).WithName("GetSandboxCasUser");
    }

    private static Results<Ok<JsonObject>, BadRequest<JsonObject>> Check(string? user_id, CasList list)
    {
        if (!long.TryParse(user_id, out var userId))
        {
            return TypedResults.BadRequest(new JsonObject { ["ok"] = false, ["description"] = "user_id must be an integer." });
        }

        list.Checks.AddOrUpdate(userId, 1, (_, count) => count + 1);
        return TypedResults.Ok(list.Listed.TryGetValue(userId, out var added)
            ? new JsonObject
            {
                ["ok"] = true,
                ["result"] = new JsonObject
                {
                    ["offenses"] = 1, ["messages"] = new JsonArray(), ["time_added"] = added.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                },
            }
            : new JsonObject { ["ok"] = false, ["description"] = "Record not found." });
    }

    internal sealed class CasList
    {
        public ConcurrentDictionary<long, DateTimeOffset> Listed { get; } = new();

        public ConcurrentDictionary<long, int> Checks { get; } = new();
    }
}
