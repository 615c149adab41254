using Atlas.Contracts.Moderation;
using Atlas.Moderation.Settings;

namespace Atlas.Moderation.Rules;

/// <summary>What is known about the author when their message is judged.</summary>
public sealed record MemberFacts(DateTimeOffset? JoinedAt, RecentActivity Activity);

/// <summary>
/// The rules, as a pure function of the message, the chat's settings, strictness and what is known about the author:
/// anti-flood, the per-member rate limit (a token bucket), the link filter, new-member link restrictions and banned
/// words/patterns. Trusted members never get here.
/// </summary>
public sealed class MessageRules(WordFilter words)
{
    public IReadOnlyList<RuleHit> Evaluate(MessagePosted message, ChatSettings settings, bool strict, MemberFacts facts, out string? timedOutPattern)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(facts);
        var hits = new List<RuleHit>();
        if (!message.Edited)
        {
            AddFlood(hits, settings, strict, facts.Activity.PostedAt);
            AddRate(hits, settings, facts.Activity.PostedAt);
        }

        AddLinks(hits, message, settings, strict, facts);
        if (words.FirstMatch(message.Text, settings.BannedWords, settings.BannedPatterns, out timedOutPattern) is { } banned)
        {
            hits.Add(new RuleHit(RuleNames.BannedWord, $"banned word or pattern \"{banned}\"", RuleEffect.Warn));
        }

        return hits;
    }

    /// <summary>The flood limit in force: halved (at least 2) in strict mode; 0 means off.</summary>
    public static int FloodLimit(ChatSettings settings, bool strict)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.FloodMessages <= 0 ? 0 : strict ? Math.Max(2, (settings.FloodMessages + 1) / 2) : settings.FloodMessages;
    }

    private static void AddFlood(List<RuleHit> hits, ChatSettings settings, bool strict, IReadOnlyList<double> times)
    {
        var limit = FloodLimit(settings, strict);
        if (limit == 0 || times.Count == 0)
        {
            return;
        }

        var now = times[^1];
        var inWindow = times.Count(t => t > now - settings.FloodSeconds);
        if (inWindow > limit)
        {
            hits.Add(new RuleHit(RuleNames.Flood, $"{inWindow} messages within {settings.FloodSeconds} s (limit {limit})", RuleEffect.Mute));
        }
    }

    // A bucket of RateBurst tokens refilled at RatePerMinute per minute, replayed over the member's recent messages.
    private static void AddRate(List<RuleHit> hits, ChatSettings settings, IReadOnlyList<double> times)
    {
        if (times.Count <= settings.RateBurst)
        {
            return;
        }

        var perSecond = settings.RatePerMinute / 60.0;
        double tokens = settings.RateBurst;
        var last = times[0];
        var over = false;
        foreach (var at in times)
        {
            tokens = Math.Min(settings.RateBurst, tokens + ((at - last) * perSecond));
            last = at;
            over = tokens < 1;
            if (!over)
            {
                tokens -= 1;
            }
        }

        if (over)
        {
            hits.Add(new RuleHit(RuleNames.Rate, $"over {settings.RatePerMinute} messages per minute (burst {settings.RateBurst})", RuleEffect.Mute));
        }
    }

    private static void AddLinks(List<RuleHit> hits, MessagePosted message, ChatSettings settings, bool strict, MemberFacts facts)
    {
        var forbidden = LinkDetector.Domains(message.Text).Where(d => !LinkDetector.IsAllowed(d, settings.AllowedDomains)).Distinct().ToArray();
        if (forbidden.Length == 0)
        {
            return;
        }

        var domains = string.Join(", ", forbidden);
        if (settings.LockLinks || strict)
        {
            hits.Add(new RuleHit(RuleNames.Links, $"link to {domains} (links are locked)", RuleEffect.Warn));
        }
        else if (IsNewMember(message, settings, facts))
        {
            hits.Add(new RuleHit(RuleNames.NewMemberLinks, $"link to {domains} from a new member", RuleEffect.Delete));
        }
    }

    /// <summary>Whether the author is inside the new-member window (joined recently, or among their first messages since joining).</summary>
    public static bool IsNewMember(MessagePosted message, ChatSettings settings, MemberFacts facts) =>
        facts.JoinedAt is { } joined
        && (message.PostedAt - joined < TimeSpan.FromMinutes(settings.NewMemberMinutes)
            || facts.Activity.MessagesSinceJoin <= settings.NewMemberMessages);
}
