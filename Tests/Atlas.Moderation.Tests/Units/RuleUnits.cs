using Atlas.Contracts.Moderation;
using Atlas.Moderation.Audit;
using Atlas.Moderation.Commands;
using Atlas.Moderation.Rules;
using Atlas.Moderation.Settings;

namespace Atlas.Moderation.Tests.Units;

/// <summary>The pure parts: rules, durations, command lines, masking and CSV quoting.</summary>
public sealed class RuleUnits
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly MessageRules _rules = new(new WordFilter());

    [Theory]
    [InlineData("10m", 600)]
    [InlineData("3h", 10_800)]
    [InlineData("2d", 172_800)]
    [InlineData("1w", 604_800)]
    [InlineData("45s", 45)]
    public void Durations_parse_as_admins_write_them(string text, int seconds)
    {
        Durations.TryParse(text, out var duration).Should().BeTrue();
        duration.Should().Be(TimeSpan.FromSeconds(seconds));
    }

    [Theory]
    [InlineData("0m")]
    [InlineData("10")]
    [InlineData("ten minutes")]
    [InlineData("400d")]
    [InlineData("29s")]
    [InlineData("-5m")]
    public void Durations_refuse_what_is_not_one(string text) => Durations.TryParse(text, out _).Should().BeFalse();

    [Fact]
    public void A_command_takes_its_target_from_the_reply_or_a_user_id_then_a_duration_and_a_reason()
    {
        var reply = CommandLine.Parse(Message("/mute@atlas_bot 3h spamming links", replyToUser: 42, replyToMessage: 7))!;
        reply.Should().BeEquivalentTo(new { Name = "mute", TargetUserId = 42L, TargetMessageId = 7L, Duration = TimeSpan.FromHours(3), Reason = "spamming links" });

        var byId = CommandLine.Parse(Message("/ban 12345 rude", replyToUser: 42))!;
        byId.Should().BeEquivalentTo(new { Name = "ban", TargetUserId = 12345L, TargetMessageId = (long?)null, Duration = (TimeSpan?)null, Reason = "rude" });
        CommandLine.Parse(Message("just text")).Should().BeNull();
    }

    [Fact]
    public void Flood_counts_messages_in_the_window_and_strict_mode_halves_the_limit()
    {
        var settings = new ChatSettings { FloodMessages = 4, FloodSeconds = 10 };
        var times = Times(0, 1, 2, 3, 4);

        Evaluate(settings, strict: false, times).Select(h => h.Rule).Should().Equal(RuleNames.Flood);
        Evaluate(settings, strict: false, Times(0, 1, 2, 3)).Should().BeEmpty();
        Evaluate(settings, strict: true, Times(0, 1, 2)).Select(h => h.Rule).Should().Equal(RuleNames.Flood);
        Evaluate(settings, strict: false, Times(0, 20, 40, 60, 80)).Should().BeEmpty("the messages are spread out");
    }

    [Fact]
    public void The_rate_rule_allows_the_burst_then_the_sustained_rate_and_no_more()
    {
        var settings = new ChatSettings { FloodMessages = 0, RatePerMinute = 60, RateBurst = 5 };

        Evaluate(settings, false, Times(0, 0, 0, 0, 0)).Should().BeEmpty("the burst is five");
        Evaluate(settings, false, Times(0, 0, 0, 0, 0, 0)).Should().ContainSingle().Which.Rule.Should().Be(RuleNames.Rate);
        Evaluate(settings, false, Times(0, 0, 0, 0, 0, 1, 2, 3)).Should().BeEmpty("one token a second comes back");
    }

    [Fact]
    public void Links_are_judged_by_domain_against_the_allow_list_and_only_when_locked_or_strict()
    {
        var locked = new ChatSettings { LockLinks = true, AllowedDomains = ["example.org"] };

        Evaluate(locked, false, Times(0), "see https://docs.example.org/a and www.example.org").Should().BeEmpty();
        Evaluate(locked, false, Times(0), "see http://evil.biz/x").Should().ContainSingle().Which.Reason.Should().Contain("evil.biz");
        Evaluate(new ChatSettings(), false, Times(0), "see evil.biz").Should().BeEmpty();
        Evaluate(new ChatSettings(), true, Times(0), "see evil.biz").Should().ContainSingle().Which.Rule.Should().Be(RuleNames.Links);
    }

    [Fact]
    public void A_new_member_may_not_post_links_for_the_first_hour_or_the_first_messages()
    {
        var settings = new ChatSettings { NewMemberMinutes = 60, NewMemberMessages = 3 };
        var facts = (DateTimeOffset joined, int since) => new MemberFacts(joined, new RecentActivity(Times(0), since));

        _rules.Evaluate(Message("go promo.xyz"), settings, false, facts(Now.AddMinutes(-5), 10), out _).Should().ContainSingle()
            .Which.Rule.Should().Be(RuleNames.NewMemberLinks);
        _rules.Evaluate(Message("go promo.xyz"), settings, false, facts(Now.AddHours(-5), 2), out _).Should().ContainSingle();
        _rules.Evaluate(Message("go promo.xyz"), settings, false, facts(Now.AddHours(-5), 4), out _).Should().BeEmpty();
    }

    [Fact]
    public void Banned_words_match_whole_words_and_a_runaway_pattern_times_out_instead_of_hanging()
    {
        var filter = new WordFilter();

        filter.FirstMatch("Play CASINO games", ["casino"], [], out _).Should().Be("casino");
        filter.FirstMatch("casinos", ["casino"], [], out _).Should().BeNull();
        // Whether the engine backtracks or cuts it short, the answer is "no match" and no exception reaches the consumer.
        filter.FirstMatch(new string('a', 5000) + "!", [], ["(a+)+$"], out var timedOut).Should().BeNull();
        (timedOut is null || timedOut == "(a+)+$").Should().BeTrue();
        WordFilter.PatternProblem("(unclosed").Should().StartWith("Not a valid pattern");
    }

    [Fact]
    public void A_banned_word_matches_only_where_no_letter_or_digit_touches_it()
    {
        WordFilter.ContainsWord("casinos, then a casino!", "casino").Should().BeTrue("the second occurrence stands alone");
        WordFilter.ContainsWord("Ünicasino or casino2 or casinoé", "casino").Should().BeFalse();
        WordFilter.ContainsWord("(CASINO)", "casino").Should().BeTrue();
        WordFilter.ContainsWord("casino", "casino").Should().BeTrue();
        new WordFilter().FirstMatch("bad (a+)+ stored pattern", [], ["(unclosed", "stored"], out _).Should().Be("stored", "an unusable pattern never matches");
    }

    [Fact]
    public void Words_and_patterns_are_matched_in_the_text_a_reader_sees()
    {
        var filter = new WordFilter();
        filter.FirstMatch("cas\u00ADino, c\u200Dasino", ["casino"], [], out _).Should().Be("casino", "a soft hyphen or a joiner is invisible");
        filter.FirstMatch("fr\uFEFFee mo\u2060ney", [], ["free money"], out _).Should().Be("free money");
        filter.FirstMatch("casi\uFFFDno", ["casino"], [], out _).Should().Be("casino", "the gateway puts U+FFFD for a NUL");
        filter.FirstMatch("casi\nno", ["casino"], [], out _).Should().BeNull("a line break separates words");
        WordFilter.Visible("plain text").Should().BeSameAs("plain text", "text without hidden characters is not copied");
    }

    [Fact]
    public void Excerpts_lose_emails_phone_numbers_mentions_and_link_paths()
    {
        var masked = PiiMasker.Mask("mail ann@example.com, call +1 (555) 123-4567, ask @ann_smith, see https://evil.biz/ref?id=42", 200);

        masked.Should().Be("mail [email], call [number], ask @[user], see https://evil.biz/[…]");
        PiiMasker.Mask(new string('x', 300), 10).Should().Be("xxxxxxxxxx…");
    }

    [Fact]
    public void Csv_fields_are_quoted_and_formula_starts_are_defused()
    {
        var record = new AuditRecord(1, Guid.Empty, "Warn", -100, 5, null, null, "admin", "admin:1", ["says \"hi\", twice", "=HYPERLINK(1)"], null, Now, null);

        var line = AuditFormats.CsvLine(record);

        line.Should().Contain("\"says \"\"hi\"\", twice; =HYPERLINK(1)\"").And.Contain(",-100,");
        AuditFormats.CsvLine(record with { Reasons = ["=cmd"] }).Should().Contain(",'=cmd,");
    }

    private IReadOnlyList<RuleHit> Evaluate(ChatSettings settings, bool strict, IReadOnlyList<double> times, string text = "hello") =>
        _rules.Evaluate(Message(text), settings, strict, new MemberFacts(null, new RecentActivity(times, 0)), out _);

    private static double[] Times(params double[] offsets) => [.. offsets.Select(o => Now.ToUnixTimeSeconds() + o)];

    private static MessagePosted Message(string text, long? replyToUser = null, long? replyToMessage = null) =>
        new(1, -100, 10, 5, null, text, Now, replyToMessage, replyToUser);
}
