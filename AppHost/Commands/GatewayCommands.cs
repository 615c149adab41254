namespace Atlas.AppHost.Commands;

/// <summary>
/// The gateway's runbook actions as dashboard commands, each a call to its admin API with the ops key (sent as
/// <c>X-Admin-Key</c>, never shown): freeze/unfreeze inbound, the rate-limit tier, and polling/webhook mode.
/// </summary>
internal static class GatewayCommands
{
    public static IResourceBuilder<ProjectResource> WithGatewayCommands(this IResourceBuilder<ProjectResource> gateway, IResourceBuilder<ParameterResource> adminKey)
    {
        return gateway
            .WithAdminCommand(adminKey, "freeze", "Freeze inbound", "/admin/freeze", null, "Snowflake", "Stop handling inbound updates (they stay queued) until Unfreeze.")
            .WithAdminCommand(adminKey, "unfreeze", "Unfreeze inbound", "/admin/unfreeze", null, "Play", "Handle inbound updates again.")
            .WithAdminCommand(adminKey, "tier-normal", "Rate limits: normal", "/admin/rate-limit-tier", """{"tier":"normal"}""", "TopSpeed", "The seed's normal inbound limits.", HttpMethod.Put)
            .WithAdminCommand(adminKey, "tier-high", "Rate limits: high", "/admin/rate-limit-tier", """{"tier":"high"}""", "TopSpeed", "Tighter inbound limits for high load.", HttpMethod.Put)
            .WithAdminCommand(adminKey, "tier-crisis", "Rate limits: crisis", "/admin/rate-limit-tier", """{"tier":"crisis"}""", "Warning", "The tightest inbound limits.", HttpMethod.Put)
            .WithAdminCommand(adminKey, "mode-polling", "Telegram: polling", "/admin/telegram/mode", """{"mode":"polling"}""", "ArrowSync", "Receive updates with getUpdates.")
            .WithAdminCommand(adminKey, "mode-webhook", "Telegram: webhook", "/admin/telegram/mode", """{"mode":"webhook"}""", "Globe", "Receive updates on the webhook.");
    }

    private static IResourceBuilder<ProjectResource> WithAdminCommand(
        this IResourceBuilder<ProjectResource> gateway, IResourceBuilder<ParameterResource> adminKey, string name, string displayName,
        string path, string? json, string icon, string description, HttpMethod? method = null) =>
        gateway.WithHttpCommand(path, displayName, endpointName: "http", commandName: name, commandOptions: new HttpCommandOptions
        {
            Method = method ?? HttpMethod.Post,
            Description = description,
            IconName = icon,
            PrepareRequest = async context =>
            {
                context.Request.Headers.Add("X-Admin-Key", await adminKey.Resource.GetValueAsync(context.CancellationToken).ConfigureAwait(false));
                if (json is not null)
                {
                    context.Request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
                }
            },
        });
}
