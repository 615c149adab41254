using System.ComponentModel.DataAnnotations;
using Atlas.Moderation.Commands;
using Atlas.Moderation.Settings;

namespace Atlas.Moderation.Tests.Units;

/// <summary>The warning lifetime's configuration: the service default, its validation, the per-chat value.</summary>
public sealed class WarningExpiryUnits
{
    [Fact]
    public void The_service_default_is_30_days_and_a_negative_or_huge_lifetime_is_refused()
    {
        new ModerationOptions().WarningLifetime.Should().Be(TimeSpan.FromDays(30));
        Valid(new ModerationOptions { WarningLifetime = TimeSpan.Zero }).Should().BeTrue("0 means warnings never expire");
        Valid(new ModerationOptions { WarningLifetime = TimeSpan.FromHours(-1) }).Should().BeFalse();
        Valid(new ModerationOptions { WarningLifetime = TimeSpan.FromDays(4000) }).Should().BeFalse();
    }

    [Fact]
    public void A_chat_lifetime_below_zero_is_a_settings_problem_and_none_follows_the_service()
    {
        new ChatSettings().WarningLifetime.Should().BeNull();
        new ChatSettings { WarningLifetime = TimeSpan.FromDays(-1) }.Problem().Should().Contain("WarningLifetime");
        new ChatSettings { WarningLifetime = TimeSpan.Zero }.Problem().Should().BeNull();
    }

    [Fact]
    public void A_mute_or_ban_the_settings_time_must_be_one_telegram_keeps_as_timed()
    {
        new ChatSettings { FloodMute = TimeSpan.FromSeconds(10) }.Problem().Should().Contain("FloodMute");
        new ChatSettings { FloodMute = TimeSpan.FromDays(400) }.Problem().Should().Contain("FloodMute");
        new ChatSettings { WarnActionDuration = TimeSpan.FromSeconds(5) }.Problem().Should().Contain("WarnActionDuration");
        new ChatSettings { WarnActionDuration = TimeSpan.FromSeconds(-5) }.Problem().Should().Contain("WarnActionDuration");
        new ChatSettings { WarnActionDuration = null, FloodMute = TimeSpan.FromSeconds(30) }.Problem().Should().BeNull("null is for good, 30 s the shortest timed");
    }

    [Fact]
    public void Remaining_times_are_rounded_to_their_largest_unit()
    {
        Durations.Format(Durations.Rounded(TimeSpan.FromHours(12) - TimeSpan.FromSeconds(20))).Should().Be("12h");
        Durations.Format(Durations.Rounded(TimeSpan.FromDays(29.9))).Should().Be("30d");
        Durations.Format(Durations.Rounded(TimeSpan.FromMilliseconds(300))).Should().Be("1s");
    }

    private static bool Valid(ModerationOptions options) =>
        Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true);
}
