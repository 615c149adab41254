using System.Net.Http.Json;
using System.Text.Json;
using Atlas.AppHost.Hosting;

namespace Atlas.AppHost.Commands;

/// <summary>
/// The dashboard's "Rotate bot token" on the gateway: it asks for the new token (a masked input; the dashboard, the
/// Aspire CLI and MCP clients all pass it as the <c>token</c> argument) and hands it to the gateway's
/// <c>POST /admin/telegram/token</c> with the ops key. With the Sandbox standing in for Telegram the token may be
/// left empty: the Sandbox revokes the old token and issues one (a given token is registered there first), and the
/// data folder keeps the new one so the next run starts both with it. Neither token is ever shown or logged.
/// </summary>
internal static class BotTokenCommand
{
    public const string Name = "rotate-bot-token";
    private const string TokenArgument = "token";

    /// <summary>Where the Sandbox's bot token lives when the Sandbox stands in for Telegram.</summary>
    public sealed record SandboxBot(IResourceBuilder<ProjectResource> Sandbox, DataFolder Data, string SecretName);

    public static IResourceBuilder<ProjectResource> WithRotateBotTokenCommand(
        this IResourceBuilder<ProjectResource> gateway, IResourceBuilder<ParameterResource> adminKey, SandboxBot? sandbox)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(adminKey);
        return gateway.WithCommand(Name, "Rotate bot token", context => RotateAsync(context, gateway, adminKey, sandbox), new CommandOptions
        {
            Description = "Switch the gateway to a new bot token from @BotFather: webhook registered again, polling goes on at its offset, queued messages go out with it.",
            IconName = "KeyReset",
            Arguments =
            [
                new InteractionInput
                {
                    Name = TokenArgument,
                    Label = "New bot token",
                    InputType = InputType.SecretText,
                    Required = sandbox is null,
                    Description = sandbox is null ? "The token @BotFather gave on /revoke." : "Empty: the Sandbox revokes the old token and issues a new one.",
                },
            ],
        });
    }

    private static async Task<ExecuteCommandResult> RotateAsync(
        ExecuteCommandContext context, IResourceBuilder<ProjectResource> gateway, IResourceBuilder<ParameterResource> adminKey, SandboxBot? sandbox)
    {
        var token = context.Arguments.GetString(TokenArgument);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        string? previous = null;
        if (sandbox is not null)
        {
            previous = sandbox.Data.Secret(sandbox.SecretName);
            var issued = await RevokeInSandboxAsync(http, sandbox, previous, string.IsNullOrWhiteSpace(token) ? null : token, context.CancellationToken).ConfigureAwait(false);
            if (issued is null)
            {
                return CommandResults.Failure("The Sandbox did not take the new token (it must be of the same bot and of Telegram's shape); nothing was changed.");
            }

            token = issued;
        }
        else if (string.IsNullOrWhiteSpace(token))
        {
            return CommandResults.Failure("Give the new token from @BotFather.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(gateway.GetEndpoint("http").Url), "/admin/telegram/token"))
        {
            Content = JsonContent.Create(new { token }),
        };
        request.Headers.Add("X-Admin-Key", await adminKey.Resource.GetValueAsync(context.CancellationToken).ConfigureAwait(false));
        Audit.AuditCaller.Dashboard.Apply(request);
        using var response = await http.SendAsync(request, context.CancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(context.CancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            if (sandbox is not null)
            {
                // Give the Sandbox its old token back, so the gateway (still on it) keeps working.
                await RevokeInSandboxAsync(http, sandbox, token!, previous, context.CancellationToken).ConfigureAwait(false);
            }

            return CommandResults.Failure(body.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "The gateway refused the token." : "The gateway refused the token.");
        }

        sandbox?.Data.ReplaceSecret(sandbox.SecretName, token!);
        return CommandResults.Success(body.GetProperty("detail").GetString() ?? "Rotated.");
    }

    // @BotFather's /revoke in the Sandbox; returns the bot's new token, or null when the Sandbox refused.
    private static async Task<string?> RevokeInSandboxAsync(HttpClient http, SandboxBot sandbox, string current, string? replacement, CancellationToken cancellationToken)
    {
        var url = new Uri(new Uri(sandbox.Sandbox.GetEndpoint("http").Url), $"/sandbox/telegram/bots/{Uri.EscapeDataString(current)}/token");
        using var response = await http.PostAsJsonAsync(url, new { token = replacement }, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false)).GetProperty("token").GetString()
            : null;
    }
}
