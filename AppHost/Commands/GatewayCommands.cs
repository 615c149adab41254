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
            .WithOpsCommand(adminKey, "freeze", "Freeze inbound", "/admin/freeze", null, "Snowflake", "Stop handling inbound updates (they stay queued) until Unfreeze.")
            .WithOpsCommand(adminKey, "unfreeze", "Unfreeze inbound", "/admin/unfreeze", null, "Play", "Handle inbound updates again.")
            .WithOpsCommand(adminKey, "tier-normal", "Rate limits: normal", "/admin/rate-limit-tier", """{"tier":"normal"}""", "TopSpeed", "The seed's normal inbound limits.", HttpMethod.Put)
            .WithOpsCommand(adminKey, "tier-high", "Rate limits: high", "/admin/rate-limit-tier", """{"tier":"high"}""", "TopSpeed", "Tighter inbound limits for high load.", HttpMethod.Put)
            .WithOpsCommand(adminKey, "tier-crisis", "Rate limits: crisis", "/admin/rate-limit-tier", """{"tier":"crisis"}""", "Warning", "The tightest inbound limits.", HttpMethod.Put)
            .WithOpsCommand(adminKey, "mode-polling", "Telegram: polling", "/admin/telegram/mode", """{"mode":"polling"}""", "ArrowSync", "Receive updates with getUpdates.")
            .WithOpsCommand(adminKey, "mode-webhook", "Telegram: webhook", "/admin/telegram/mode", """{"mode":"webhook"}""", "Globe", "Receive updates on the webhook.");
    }
}
