using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Locales;
using Atlas.Gateway.RateLimiting;
using Atlas.Gateway.Telegram.Api;
using Atlas.ServiceDefaults.Audit;

namespace Atlas.Gateway.Admin;

/// <summary>
/// The ops commands for the user ids in <c>Gateway:Admins</c>: <c>/freeze</c>, <c>/unfreeze</c> and
/// <c>/tier normal|high|crisis</c>. For anyone else they are unknown commands. Each is recorded in the ops audit log
/// (actor <c>telegram:&lt;user id&gt;</c>, source <c>bot</c>) before it runs; when that row cannot be written the
/// command is not run and the admin is told so.
/// </summary>
public sealed class AdminCommands(InboundControl inbound, RateLimitTierStore tiers, Replies replies, OpsAudit audit, ILogger<AdminCommands> logger)
{
    public static bool Handles(string name) => name is "freeze" or "unfreeze" or "tier";

    public async Task HandleAsync(UpdateContext context, BotCommandText command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(command);
        var by = $"admin {context.User?.Id}";
        var action = new OpsAction(
            $"telegram:{context.User?.Id}", OpsSources.Bot, $"/{command.Name} {command.Arguments}".Trim(), command.Name == "tier" ? "rate-limit-tier" : "inbound");
        long row;
        try
        {
            row = await audit.BeginAsync(action, cancellationToken).ConfigureAwait(false);
        }
        catch (OpsAuditUnavailableException)
        {
            await replies.SendAsync(context, context.Text(TextKeys.AdminAuditUnavailable), cancellationToken).ConfigureAwait(false);
            return;
        }

        string text;
        bool done;
        switch (command.Name)
        {
            case "freeze":
                done = await inbound.FreezeAsync(cancellationToken).ConfigureAwait(false);
                if (done)
                {
                    GatewayLog.FreezeChanged(logger, "frozen", by);
                }

                text = context.Text(done ? TextKeys.AdminFrozen : TextKeys.AdminStateUnavailable);
                break;
            case "unfreeze":
                done = await inbound.UnfreezeAsync(cancellationToken).ConfigureAwait(false);
                if (done)
                {
                    GatewayLog.FreezeChanged(logger, "unfrozen", by);
                }

                text = context.Text(done ? TextKeys.AdminUnfrozen : TextKeys.AdminStateUnavailable);
                break;
            default:
                (text, done) = await SetTierAsync(context, command.Arguments, by, cancellationToken).ConfigureAwait(false);
                break;
        }

        await audit.CompleteAsync(row, action, done ? OpsOutcomes.Succeeded : OpsOutcomes.Failed, null, done ? null : text, CancellationToken.None)
            .ConfigureAwait(false);
        await replies.SendAsync(context, text, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(string Text, bool Done)> SetTierAsync(UpdateContext context, string argument, string by, CancellationToken cancellationToken)
    {
        if (!TierLimits.TryParse(argument, out var tier))
        {
            var current = await tiers.GetAsync(cancellationToken).ConfigureAwait(false);
            return (context.Text(TextKeys.AdminTierUsage, TierLimits.Name(current)), false);
        }

        if (!await tiers.SetAsync(tier, cancellationToken).ConfigureAwait(false))
        {
            return (context.Text(TextKeys.AdminStateUnavailable), false);
        }

        GatewayLog.TierChanged(logger, TierLimits.Name(tier), by);
        return (context.Text(TextKeys.AdminTierSet, TierLimits.Name(tier)), true);
    }
}
