using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atlas.Moderation.Tests.Support;
using Atlas.Testing;

namespace Atlas.Moderation.Tests.Flows;

/// <summary>
/// The CAS-style known-spammer lookup against the Sandbox's CAS stand-in: per chat, off by default; a listed member's
/// message is deleted and the member banned for good under rule <c>cas</c>; answers are cached.
/// </summary>
public sealed class KnownSpammers(ModerationWorld world) : IClassFixture<ModerationWorld>
{
    [Fact]
    public async Task A_listed_member_is_banned_with_rule_cas_and_an_unlisted_one_is_looked_up_once()
    {
        var chat = await world.NewChatAsync();
        await world.PutSettingsAsync(chat, """{"casLookup": true}""");
        using var cas = new HttpClient { BaseAddress = world.Sandbox.BaseUrl };
        (await cas.PutAsync(new Uri("sandbox/cas/users/6201", UriKind.Relative), null)).EnsureSuccessStatusCode();

        var spam = await world.SayAsync(chat, 6201, "hello all");
        await world.SayAsync(chat, 6202, "good morning");
        await Eventually.PollAsync(() => world.ProcessedCountAsync(chat), count => count == 2, TimeSpan.FromSeconds(30));
        await world.SayAsync(chat, 6202, "how is everyone");

        var ban = (await world.WaitForCallsAsync("banChatMember", chat)).Should().ContainSingle().Subject;
        ban.Parameters["user_id"]!.GetValue<long>().Should().Be(6201);
        ban.Parameters["until_date"]?.GetValue<long>().Should().Be(0, "a known spammer is banned for good");
        var delete = (await world.WaitForCallsAsync("deleteMessage", chat)).Should().ContainSingle().Subject;
        delete.Parameters["message_id"]!.GetValue<long>().Should().Be(spam.MessageId);
        var audit = await Eventually.PollAsync(() => world.AuditAsync(chat), rows => rows.Count >= 2, TimeSpan.FromSeconds(30));
        audit.Where(r => r.Action is "DeleteMessage" or "Ban").Select(r => (r.Action, r.Rule, r.UserId))
            .Should().Equal(("DeleteMessage", "cas", 6201L), ("Ban", "cas", 6201L));
        await Eventually.PollAsync(() => world.ProcessedCountAsync(chat), count => count == 3, TimeSpan.FromSeconds(30));
        (await ChecksAsync(cas, 6202)).Should().Be(1, "the second message finds the cached answer");
    }

    [Fact]
    public async Task Without_the_setting_no_one_is_looked_up_and_a_listed_member_may_write()
    {
        var chat = await world.NewChatAsync();
        using var cas = new HttpClient { BaseAddress = world.Sandbox.BaseUrl };
        (await cas.PutAsync(new Uri("sandbox/cas/users/6203", UriKind.Relative), null)).EnsureSuccessStatusCode();

        await world.SayAsync(chat, 6203, "hi there");

        await Eventually.PollAsync(() => world.ProcessedCountAsync(chat), count => count == 1, TimeSpan.FromSeconds(30));
        (await world.CallsAsync("banChatMember", chat)).Should().BeEmpty();
        (await ChecksAsync(cas, 6203)).Should().Be(0);
    }

    private static async Task<int> ChecksAsync(HttpClient cas, long userId) =>
        (await cas.GetFromJsonAsync<JsonObject>(new Uri($"sandbox/cas/users/{userId}", UriKind.Relative)))!["checks"]!.GetValue<int>();
}
