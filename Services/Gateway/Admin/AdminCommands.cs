using Atlas.Gateway.Diagnostics;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Locales;
using Atlas.Gateway.RateLimiting;
using Atlas.Gateway.Telegram.Api;

namespace Atlas.Gateway.Admin;

/// <summary>
/// The ops commands for the user ids in <c>Gateway:Admins</c>: <c>/freeze</c>, <c>/unfreeze</c> and
/// <c>/tier normal|high|crisis</c>. For anyone else they are unknown commands.
/// </summary>
public sealed class AdminCommands(InboundControl inbound, RateLimitTierStore tiers, Replies replies, ILogger<AdminCommands> logger)
{
    public static bool Handles(string name) => name is "freeze" or "unfreeze" or "tier";

    public async Task HandleAsync(UpdateContext context, BotCommandText command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(command);
        var by = $"admin {context.User?.Id}";
        string text;
        switch (command.Name)
        {
            case "freeze":
                var frozen = await inbound.FreezeAsync(cancellationToken).ConfigureAwait(false);
                if (frozen)
                {
                    GatewayLog.FreezeChanged(logger, "frozen", by);
                }

                text = context.Text(frozen ? TextKeys.AdminFrozen : TextKeys.AdminStateUnavailable);
                break;
            case "unfreeze":
                var unfrozen = await inbound.UnfreezeAsync(cancellationToken).ConfigureAwait(false);
                if (unfrozen)
                {
                    GatewayLog.FreezeChanged(logger, "unfrozen", by);
                }

                text = context.Text(unfrozen ? TextKeys.AdminUnfrozen : TextKeys.AdminStateUnavailable);
                break;
            default:
                text = await SetTierAsync(context, command.Arguments, by, cancellationToken).ConfigureAwait(false);
                break;
        }

        await replies.SendAsync(context, text, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> SetTierAsync(UpdateContext context, string argument, string by, CancellationToken cancellationToken)
    {
        if (!TierLimits.TryParse(argument, out var tier))
        {
            var current = await tiers.GetAsync(cancellationToken).ConfigureAwait(false);
            return context.Text(TextKeys.AdminTierUsage, TierLimits.Name(current));
        }

        if (!await tiers.SetAsync(tier, cancellationToken).ConfigureAwait(false))
        {
            return context.Text(TextKeys.AdminStateUnavailable);
        }

        GatewayLog.TierChanged(logger, TierLimits.Name(tier), by);
        return context.Text(TextKeys.AdminTierSet, TierLimits.Name(tier));
    }
}
