using System.Globalization;
using System.Runtime.CompilerServices;
using Atlas.Contracts.Moderation;
using Atlas.Moderation.Decisions;
using Atlas.Moderation.Rules;
using Atlas.Moderation.Settings;

namespace Atlas.Moderation.Commands;

/// <summary>
/// <c>/settings</c> shows a chat's rules; <c>/setflood N T</c>, <c>/warnlimit N</c>, <c>/warnaction mute|ban [duration]</c>,
/// <c>/warnexpiry duration|off|default</c>,
/// <c>/addword</c>, <c>/rmword</c>, <c>/locklinks on|off</c>, <c>/allowdomain</c>, <c>/strict on|off</c> and
/// <c>/llmverdicts on|off</c> change them,
/// in the event's transaction, with an audit row each.
/// </summary>
public sealed class SettingsCommands(ChatSettingsStore store, Warnings warnings)
{
    private static readonly HashSet<string> Names =
        ["settings", "setflood", "warnlimit", "warnaction", "warnexpiry", "addword", "rmword", "locklinks", "allowdomain", "strict", "llmverdicts"];

    public static bool Handles(string name) => Names.Contains(name);

    public async Task<string> ExecuteAsync(ModerationSession session, MessagePosted message, CommandLine command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(command);
        if (command.Name == "settings")
        {
            var settings = await store.GetAsync(message.ChatId, cancellationToken, session.Transaction).ConfigureAwait(false);
            return Describe(settings, warnings.LifetimeIn(settings));
        }

        var current = await store.GetForUpdateAsync(message.ChatId, session.Transaction, cancellationToken).ConfigureAwait(false);
        var (changed, answer) = Change(current, command.Name, command.Arguments);
        if (changed is null)
        {
            return answer;
        }

        if (changed.Problem() is { } problem)
        {
            return $"Usage problem: {problem}";
        }

        await store.SaveAsync(message.ChatId, changed, message.UserId, cancellationToken, session.Transaction).ConfigureAwait(false);
        await session.AuditAsync(
            new AuditEntry("Settings", message.ChatId, message.UserId, null, null, RuleNames.Admin, $"admin:{message.UserId}",
                [$"/{command.Name} {string.Join(' ', command.Arguments)}".Trim()], null),
            cancellationToken).ConfigureAwait(false);
        return answer;
    }

    /// <summary>The chat's settings as <c>/settings</c> shows them; <paramref name="warningLifetime"/> is the one in force (null: never).</summary>
    public static string Describe(ChatSettings settings, TimeSpan? warningLifetime)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return string.Join('\n',
            "Moderation settings:",
            $"flood: {(settings.FloodMessages == 0 ? "off" : $"{settings.FloodMessages} messages in {settings.FloodSeconds} s, mute {Durations.Format(settings.FloodMute)}")}",
            $"rate: {settings.RatePerMinute}/min, burst {settings.RateBurst}",
            $"links: {(settings.LockLinks ? "locked" : "open")}; allowed: {List(settings.AllowedDomains)}",
            $"banned words: {List(settings.BannedWords)}; patterns: {List(settings.BannedPatterns)}",
            $"new members: no links for {settings.NewMemberMinutes} min or {settings.NewMemberMessages} messages",
            $"warn limit: {settings.WarnLimit}, then {settings.WarnAction} {Durations.Format(settings.WarnActionDuration)}",
            $"warnings expire: {(warningLifetime is null ? "never" : "after " + Durations.Format(warningLifetime))}{(settings.WarningLifetime is null ? " (service default)" : "")}",
            $"strict: {(settings.Strict ? "on" : "off")}",
            $"LLM spam verdicts: {(settings.LlmVerdicts ? "on" : "off")}");
    }

    private static string List(IReadOnlyList<string> items) => items.Count == 0 ? "none" : string.Join(", ", items);

    private static (ChatSettings? Changed, string Answer) Change(ChatSettings current, string name, IReadOnlyList<string> args) => name switch
    {
        "setflood" when args.Count is 1 or 2 && Int(args[0]) == 0 && (args.Count == 1 || Int(args[1]) is >= 0) =>
            (current with { FloodMessages = 0 }, "Anti-flood is off."),
        "setflood" when args.Count == 2 && Int(args[0]) is { } n and >= 0 && Int(args[1]) is { } t and > 0 =>
            (current with { FloodMessages = n, FloodSeconds = t }, n == 0 ? "Anti-flood is off." : $"Anti-flood: at most {n} messages in {t} s."),
        "setflood" => (null, "Usage: /setflood <messages> <seconds>, or /setflood 0 to turn it off"),
        "warnlimit" when args.Count == 1 && Int(args[0]) is { } n and > 0 and <= 100 => (current with { WarnLimit = n }, $"Warn limit: {n}."),
        "warnlimit" => (null, "Usage: /warnlimit <1 to 100>"),
        "warnaction" when args.Count >= 1 && args[0] is "mute" or "ban" && (args.Count == 1 || Durations.TryParse(args[1], out _)) =>
            WarnAction(current, args),
        "warnaction" => (null, "Usage: /warnaction mute|ban [duration from 30s to 366d, e.g. 10m|3h|2d; none: for good]"),
        "warnexpiry" when args.Count == 1 && WarnExpiry(args[0]) is { } lifetime => (current with { WarningLifetime = lifetime.Value }, lifetime.Value switch
        {
            null => "Warnings expire after the service's default lifetime.",
            { Ticks: 0 } => "Warnings no longer expire.",
            { } d => $"Warnings expire after {Durations.Format(d)}.",
        }),
        "warnexpiry" => (null, "Usage: /warnexpiry <10m|3h|30d|1w>|off|default"),
        "addword" when args.Count > 0 => AddWord(current, string.Join(' ', args)),
        "addword" => (null, "Usage: /addword <word> or /addword /<pattern>/"),
        "rmword" when args.Count > 0 => RemoveWord(current, string.Join(' ', args)),
        "rmword" => (null, "Usage: /rmword <word or /pattern/>"),
        "locklinks" when OnOff(args) is { } on => (current with { LockLinks = on }, on ? "Links are locked." : "Links are allowed."),
        "locklinks" => (null, "Usage: /locklinks on|off"),
        "allowdomain" when args.Count == 1 && args[0].Contains('.', StringComparison.Ordinal) =>
            (current with { AllowedDomains = [.. current.AllowedDomains.Append(args[0].ToLowerInvariant()).Distinct()] }, $"Links to {args[0]} are allowed."),
        "allowdomain" => (null, "Usage: /allowdomain <domain>"),
        "strict" when OnOff(args) is { } on => (current with { Strict = on }, on ? "Strict moderation is on." : "Strict moderation is off."),
        "strict" => (null, "Usage: /strict on|off"),
        "llmverdicts" when OnOff(args) is { } on => (current with { LlmVerdicts = on },
            on ? "Suspicious messages are shown to the LLM for a spam verdict." : "LLM spam verdicts are off; the rules decide alone."),
        _ => (null, "Usage: /llmverdicts on|off"),
    };

    private static (ChatSettings?, string) WarnAction(ChatSettings current, IReadOnlyList<string> args)
    {
        TimeSpan? duration = args.Count > 1 && Durations.TryParse(args[1], out var d) ? d : null;
        return (current with { WarnAction = args[0], WarnActionDuration = duration },
            $"At the warn limit members are {(args[0] == "ban" ? "banned" : "muted")} {(duration is null ? "for good" : "for " + Durations.Format(duration))}.");
    }

    private static (ChatSettings?, string) AddWord(ChatSettings current, string text)
    {
        if (text.Length > 2 && text[0] == '/' && text[^1] == '/')
        {
            var pattern = text[1..^1];
            return WordFilter.PatternProblem(pattern) is { } problem
                ? (null, $"Usage problem: {problem}")
                : (current with { BannedPatterns = [.. current.BannedPatterns.Append(pattern).Distinct()] }, $"Pattern /{pattern}/ is banned.");
        }

        return (current with { BannedWords = [.. current.BannedWords.Append(text.ToLowerInvariant()).Distinct()] }, $"\"{text}\" is banned.");
    }

    private static (ChatSettings?, string) RemoveWord(ChatSettings current, string text)
    {
        var pattern = text.Length > 2 && text[0] == '/' && text[^1] == '/' ? text[1..^1] : null;
        var words = current.BannedWords.Where(w => !w.Equals(text, StringComparison.OrdinalIgnoreCase)).ToArray();
        var patterns = current.BannedPatterns.Where(p => p != pattern).ToArray();
        return words.Length == current.BannedWords.Count && patterns.Length == current.BannedPatterns.Count
            ? (null, $"\"{text}\" was not banned.")
            : (current with { BannedWords = words, BannedPatterns = patterns }, $"\"{text}\" is allowed again.");
    }

    // A lifetime (zero for "off", null for "default"), wrapped so that "not understood" is the outer null.
    private static StrongBox<TimeSpan?>? WarnExpiry(string text) => text.ToLowerInvariant() switch
    {
        "off" => new(TimeSpan.Zero),
        "default" => new((TimeSpan?)null),
        _ when Durations.TryParse(text, out var lifetime) => new(lifetime),
        _ => null,
    };

    private static int? Int(string text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static bool? OnOff(IReadOnlyList<string> args) => args.Count == 1 ? args[0].ToLowerInvariant() switch { "on" => true, "off" => false, _ => null } : null;
}
