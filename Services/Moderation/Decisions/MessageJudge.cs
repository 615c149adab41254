using System.Diagnostics;
using Atlas.Contracts.Moderation;
using Atlas.Moderation.Admins;
using Atlas.Moderation.Audit;
using Atlas.Moderation.Cas;
using Atlas.Moderation.Commands;
using Atlas.Moderation.Diagnostics;
using Atlas.Moderation.Rules;
using Atlas.Moderation.Settings;
using Atlas.Moderation.Verdicts;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Atlas.Moderation.Decisions;

/// <summary>
/// Decides one group message: an admin command goes to <see cref="AdminCommands"/> (a non-admin's is ignored without
/// a reply); trusted members (chat admins and approved users) pass; anyone else's message is recorded for the flood
/// and rate rules and judged. A broken rule deletes the message; flooding or an exceeded rate also mutes, links and
/// banned words also warn (and the warn limit may escalate). A message that broke no rule but is suspicious
/// (<see cref="SuspicionSignals"/>) is shown to LlmRouter when the chat has <see cref="ChatSettings.LlmVerdicts"/> on;
/// a spam verdict deletes and warns under rule <c>llm_spam</c>, anything else leaves the decision to the rules.
/// Everything that may wait on another system (the admin list from the gateway, CAS, Redis, LlmRouter's verdict of
/// up to <see cref="ModerationOptions.LlmVerdictTimeout"/>) happens before the event's transaction opens and holds
/// no PostgreSQL connection; the transaction (<see cref="ModerationSessions"/>) only writes what was decided, and a
/// message that calls for nothing is recorded in one statement without one.
/// </summary>
public sealed class MessageJudge(
    ModerationSessions sessions, NpgsqlDataSource dataSource, MemberFactsStore facts, ChatAdminDirectory admins, CasLookup cas, AdminCommands commands,
    ActivityTracker activity, MessageRules rules, Warnings warnings, SpamVerdicts verdicts, IOptions<ModerationOptions> options,
    ModerationMetrics metrics, ILogger<MessageJudge> logger)
{
    public async Task JudgeAsync(MessagePosted message, IPublishEndpoint publisher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(publisher);
        var started = Stopwatch.GetTimestamp();
        var eventKey = $"message:{message.ChatId}:{message.UpdateId}";
        if (CommandLine.Parse(message) is { } command && AdminCommands.Handles(command.Name))
        {
            if (await AdminsIfCallerIsOneAsync(message, command, cancellationToken).ConfigureAwait(false) is { } chatAdmins)
            {
                await sessions.RunAsync(eventKey, publisher, s => commands.ExecuteAsync(s, message, command, chatAdmins, cancellationToken), cancellationToken, started)
                    .ConfigureAwait(false);
            }
            else
            {
                await sessions.RecordNothingToDoAsync(eventKey, started, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var (state, handled) = await facts.ReadAsync(dataSource, message.ChatId, message.UserId, eventKey, cancellationToken)
            .ConfigureAwait(false);
        var stage = metrics.Stage("read", started);
        if (handled)
        {
            // A redelivery: the transaction finds the stored decision and publishes its messages again.
            await sessions.RunAsync(eventKey, publisher, _ => Task.CompletedTask, cancellationToken, started).ConfigureAwait(false);
            return;
        }

        var (decision, warns) = await DecideAsync(message, state, cancellationToken).ConfigureAwait(false);
        metrics.Stage("judge", stage);
        await sessions.DecideAsync(eventKey, publisher, decision, warns, started, cancellationToken).ConfigureAwait(false);
    }

    // What to write for the message (null when it calls for nothing) and the member it may warn; decided without holding a connection.
    private async Task<(Func<ModerationSession, Task>? Decision, WarnTarget? Warns)> DecideAsync(
        MessagePosted message, ChatMemberState state, CancellationToken cancellationToken)
    {
        if (state.Trusted)
        {
            return (null, null);
        }

        // The member's activity is recorded while the admin list is looked up (both usually one Redis call, sent
        // together); an admin's recorded activity is never judged.
        var recording = activity.RecordAsync(
            message.ChatId, message.UserId, message.MessageId, message.PostedAt, state.JoinedAt is not null, cancellationToken);
        var chatAdmins = await admins.AdminsOfAsync(message.ChatId, cancellationToken).ConfigureAwait(false);
        var recent = await recording.ConfigureAwait(false);
        if (chatAdmins?.Contains(message.UserId) == true)
        {
            return (null, null);
        }

        if (state.Settings.CasLookup && await cas.IsListedAsync(message.UserId, cancellationToken).ConfigureAwait(false))
        {
            return (session => BanKnownSpammerAsync(session, message, cancellationToken), null);
        }

        var member = new MemberFacts(state.JoinedAt, recent);
        var hits = rules.Evaluate(message, state.Settings, state.Strict, member, out var timedOut);
        if (timedOut is not null)
        {
            ModerationLog.PatternTimedOut(logger, message.ChatId, timedOut);
        }

        if (hits.Count == 0 && state.Settings.LlmVerdicts && SuspicionSignals.Of(message, state.Settings, member) is { Count: > 0 } signals)
        {
            hits = await VerdictHitsAsync(message, signals, cancellationToken).ConfigureAwait(false);
        }

        if (hits.Count == 0)
        {
            return (null, null);
        }

        // ApplyAsync warns when a rule calls for a warning and none for a mute.
        var warns = hits.Any(h => h.Effect == RuleEffect.Warn) && !hits.Any(h => h.Effect == RuleEffect.Mute)
            ? new WarnTarget(message.ChatId, message.UserId, warnings.LifetimeIn(state.Settings))
            : null;
        return (session => ApplyAsync(session, message, state.Settings, hits, cancellationToken), warns);
    }

    private async Task<IReadOnlyList<RuleHit>> VerdictHitsAsync(MessagePosted message, IReadOnlyList<string> signals, CancellationToken cancellationToken)
    {
        var verdict = await verdicts.AskAsync(message, signals, cancellationToken).ConfigureAwait(false);
        return verdict is { IsSpam: true }
            ? [new RuleHit(RuleNames.LlmSpam, $"judged spam by {verdict.Provider} ({verdict.Source}); suspicious: {string.Join(", ", signals)}", RuleEffect.Warn)]
            : [];
    }

    // The chat's admins when the caller is one of them; null otherwise.
    private async Task<IReadOnlySet<long>?> AdminsIfCallerIsOneAsync(MessagePosted message, CommandLine command, CancellationToken cancellationToken)
    {
        var chatAdmins = await admins.AdminsOfAsync(message.ChatId, cancellationToken).ConfigureAwait(false);
        if (chatAdmins is null || !chatAdmins.Contains(message.UserId))
        {
            // No reply: a non-admin typing /ban a hundred times must not make the bot answer a hundred times.
            ModerationLog.CommandIgnored(logger, command.Name, message.UserId, message.ChatId, chatAdmins is null ? "admins unknown" : "not an admin");
            metrics.Command(command.Name, "refused");
            return null;
        }

        return chatAdmins;
    }

    private async Task BanKnownSpammerAsync(ModerationSession session, MessagePosted message, CancellationToken cancellationToken)
    {
        var entry = new AuditEntry(
            "", message.ChatId, message.UserId, message.MessageId, null, RuleNames.Cas, "rule", ["cas: listed as a known spammer"],
            PiiMasker.Mask(message.Text, options.Value.ExcerptLength));
        await session.ActAsync(ModerationAction.DeleteMessage, entry, cancellationToken).ConfigureAwait(false);
        await session.ActAsync(ModerationAction.Ban, entry, cancellationToken).ConfigureAwait(false);
        ModerationLog.Decided(logger, message.MessageId, message.ChatId, ModerationAction.Ban, RuleNames.Cas);
    }

    private async Task ApplyAsync(ModerationSession session, MessagePosted message, ChatSettings settings, IReadOnlyList<RuleHit> hits, CancellationToken cancellationToken)
    {
        var excerpt = PiiMasker.Mask(message.Text, options.Value.ExcerptLength);
        var first = hits[0];
        var entry = new AuditEntry(
            "", message.ChatId, message.UserId, message.MessageId, null, first.Rule, "rule", [.. hits.Select(h => $"{h.Rule}: {h.Reason}")], excerpt);
        await session.ActAsync(ModerationAction.DeleteMessage, entry, cancellationToken).ConfigureAwait(false);
        ModerationLog.Decided(logger, message.MessageId, message.ChatId, ModerationAction.DeleteMessage, first.Rule);
        var who = message.Username is { Length: > 0 } name ? "@" + name : $"User {message.UserId}";

        if (hits.FirstOrDefault(h => h.Effect == RuleEffect.Mute) is { } mute)
        {
            if (!await activity.ClaimMuteAsync(message.ChatId, message.UserId, message.MessageId, settings.FloodMute, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await session.ActAsync(
                ModerationAction.Restrict, entry with { Rule = mute.Rule, Until = session.Now + settings.FloodMute, Reasons = [mute.Reason] },
                cancellationToken).ConfigureAwait(false);
            session.Reply(message.ChatId, $"{who} is muted for {Durations.Format(settings.FloodMute)}: {mute.Reason}.");
        }
        else if (hits.FirstOrDefault(h => h.Effect == RuleEffect.Warn) is { } warn)
        {
            var result = await warnings.WarnAsync(session, settings, entry with { Rule = warn.Rule, Reasons = [warn.Reason] }, cancellationToken)
                .ConfigureAwait(false);
            session.Reply(message.ChatId, result.Escalation is { } action
                ? $"{who} reached {result.Count} warnings and is {Warnings.Describe(action, result.EscalationDuration)}."
                : $"{who} warned ({result.Count}/{settings.WarnLimit}): {warn.Reason}.");
        }
    }
}
