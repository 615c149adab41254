using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atlas.Contracts.Moderation;
using Atlas.Contracts.Workflow;
using Atlas.Moderation.Appeals;
using Atlas.Moderation.Decisions;
using Atlas.Moderation.Tests.Support;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Atlas.Moderation.Tests.Flows;

/// <summary>Every action can be exported and explained afterwards, and a restricted member can appeal.</summary>
/// <remarks>Runs alone: it reads /metrics, and OpenTelemetry drops a meter's stream when another host of the same meter is disposed.</remarks>
[Collection(MetricsReaders.Name)]
public sealed class AuditAndAppeals(ModerationWorld world) : IClassFixture<ModerationWorld>
{
    [Fact]
    public async Task The_export_holds_every_action_of_the_range_as_csv_and_json_lines_with_telegrams_outcome_and_masked_excerpts()
    {
        var chat = await world.NewChatAsync();
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        await world.PutSettingsAsync(chat, """{"bannedWords": ["crypto"]}""");
        await world.SayAsync(chat, 7001, "crypto deal, mail me at ann.smith@example.com or call +1 555 123 4567");
        await world.SayAsync(chat, 7002, "crypto again");
        await world.AdminSaysAsync(chat, "/ban 7003 2d export test");
        var rows = await Eventually.PollAsync(
            () => world.AuditAsync(chat), r => r.Count(a => a.Action is "DeleteMessage" or "Ban" && a.Outcome == "done") == 3, TimeSpan.FromSeconds(30));
        var to = DateTimeOffset.UtcNow.AddSeconds(1);

        var csv = await world.Ops.GetStringAsync(new Uri($"/moderation/audit?from={Q(from)}&to={Q(to)}&chatId={chat}&format=csv", UriKind.Relative));
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().StartWith("audit_id,action_id,recorded_at,action");
        lines.Should().HaveCount(rows.Count + 1);
        csv.Should().Contain("[email]").And.Contain("[number]").And.NotContain("ann.smith").And.NotContain("555 123");

        var jsonl = await world.Ops.GetStringAsync(new Uri($"/moderation/audit?from={Q(from)}&to={Q(to)}&chatId={chat}&format=jsonl", UriKind.Relative));
        var records = jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        records.Should().HaveCount(rows.Count);
        records.Where(r => r.GetProperty("action").GetString() == "Ban").Should().ContainSingle()
            .Which.GetProperty("outcome").GetString().Should().Be("done");
        records.Select(r => r.GetProperty("rule").GetString()).Should().Contain(["banned_word", "admin"]);
    }

    [Fact]
    public async Task The_export_refuses_a_missing_range_and_a_missing_key_with_problem_details()
    {
        using var noRange = await world.Ops.GetAsync(new Uri("/moderation/audit?format=csv", UriKind.Relative));
        noRange.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        noRange.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");

        using var anonymous = world.Moderation.CreateClient();
        using var noKey = await anonymous.GetAsync(new Uri("/moderation/strictness", UriKind.Relative));
        noKey.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_banned_member_appeals_in_private_and_an_accepted_appeal_lifts_the_ban_and_withdraws_workflows_review()
    {
        var chat = await world.NewChatAsync();
        var reviews = new System.Collections.Concurrent.ConcurrentQueue<object>();
        var endpoint = world.Bus.Bus.ConnectReceiveEndpoint($"moderation-tests-withdrawals-{Guid.NewGuid():N}", e =>
        {
            e.Handler<StartAppealReview>(context =>
            {
                reviews.Enqueue(context.Message);
                return Task.CompletedTask;
            });
            e.Handler<CancelAppealReview>(context =>
            {
                reviews.Enqueue(context.Message);
                return Task.CompletedTask;
            });
        });
        await endpoint.Ready;
        await world.SayAsync(chat, 7004, "hello");
        await world.AdminSaysAsync(chat, "/ban 7004 rude");
        await world.WaitForCallsAsync("banChatMember", chat);

        await world.Telegram.SendMessageAsync(world.Token, new SandboxUserMessage { UserId = 7004, Text = $"/appeal {chat} I am sorry", FirstName = "Member" });
        var recorded = await world.WaitForReplyAsync(7004, t => t.StartsWith("Your appeal #", StringComparison.Ordinal));
        var appealId = recorded.Split('#', ' ')[3];
        var open = await world.Ops.GetFromJsonAsync<JsonElement>(new Uri($"/moderation/appeals?chatId={chat}", UriKind.Relative));
        open.EnumerateArray().Should().ContainSingle().Which.GetProperty("text").GetString().Should().Be("I am sorry");

        await world.AdminSaysAsync(chat, "/appeals");
        (await world.WaitForReplyAsync(chat, t => t.StartsWith("Open appeals", StringComparison.Ordinal))).Should().Contain("I am sorry");
        await world.AdminSaysAsync(chat, $"/resolve {appealId} accept");

        var unban = (await world.WaitForCallsAsync("unbanChatMember", chat)).Should().ContainSingle().Subject;
        unban.Parameters["user_id"]!.GetValue<long>().Should().Be(7004);
        await world.WaitForReplyAsync(7004, t => t.Contains("was accepted", StringComparison.Ordinal));
        (await world.Ops.GetFromJsonAsync<JsonElement>(new Uri($"/moderation/appeals?chatId={chat}", UriKind.Relative))).GetArrayLength().Should().Be(0);
        var handed = await Eventually.PollAsync(() => Task.FromResult(reviews.ToArray()), r => r.OfType<CancelAppealReview>().Any(), TimeSpan.FromSeconds(30));
        var started = handed.OfType<StartAppealReview>().Should().ContainSingle(r => r.UserId == 7004).Subject;
        var withdrawn = handed.OfType<CancelAppealReview>().Should().ContainSingle().Subject;
        (withdrawn.AppealId, withdrawn.ChatId, withdrawn.Outcome).Should().Be((started.AppealId, chat, "accepted"));
        await endpoint.StopAsync();
    }

    [Fact]
    public async Task A_new_appeal_goes_to_workflows_review_once_a_second_appeal_adds_to_the_open_one_and_the_reviews_decision_closes_it()
    {
        var chat = await world.NewChatAsync();
        var reviews = new System.Collections.Concurrent.ConcurrentQueue<StartAppealReview>();
        var endpoint = world.Bus.Bus.ConnectReceiveEndpoint($"moderation-tests-reviews-{Guid.NewGuid():N}", e =>
        {
            e.ConcurrentMessageLimit = 1;
            e.Handler<StartAppealReview>(context =>
            {
                reviews.Enqueue(context.Message);
                return Task.CompletedTask;
            });
        });
        await endpoint.Ready;
        await world.AdminSaysAsync(chat, "/mute 7010 1h noise");
        await world.WaitForCallsAsync("restrictChatMember", chat);

        await world.Telegram.SendMessageAsync(world.Token, new SandboxUserMessage { UserId = 7010, Text = $"/appeal {chat} it was a joke", FirstName = "Member" });
        var recorded = await world.WaitForReplyAsync(7010, t => t.StartsWith("Your appeal #", StringComparison.Ordinal));
        var appealId = recorded.Split('#', ' ')[3];
        await world.Telegram.SendMessageAsync(world.Token, new SandboxUserMessage { UserId = 7010, Text = $"/appeal {chat} sorry again", FirstName = "Member" });
        await world.WaitForReplyAsync(7010, t => t == $"Your appeal #{appealId} is still open; I added what you wrote to it. The admins of the chat will decide.");
        // A later appeal of someone else, handed over after the second one was answered: once it arrived, a review
        // the second appeal had published would have arrived before it.
        await world.AdminSaysAsync(chat, "/ban 7011 1h spam");
        await world.WaitForCallsAsync("banChatMember", chat);
        await world.Telegram.SendMessageAsync(world.Token, new SandboxUserMessage { UserId = 7011, Text = $"/appeal {chat} not me", FirstName = "Other" });
        await Eventually.PollAsync(() => Task.FromResult(reviews.ToArray()), r => r.Any(x => x.UserId == 7011), TimeSpan.FromSeconds(30));

        var review = reviews.Should().ContainSingle(r => r.UserId == 7010).Subject;
        (review.ChatId, review.Reason, review.ActionAppealed).Should().Be((chat, "it was a joke", "Restrict"));
        reviews.Single(r => r.UserId == 7011).ActionAppealed.Should().Be("Ban");
        var open = await world.Ops.GetFromJsonAsync<JsonElement>(new Uri($"/moderation/appeals?chatId={chat}", UriKind.Relative));
        open.EnumerateArray().Where(a => a.GetProperty("userId").GetInt64() == 7010).Should().ContainSingle()
            .Which.GetProperty("text").GetString().Should().Be("it was a joke\nsorry again");
        await endpoint.StopAsync();

        // Workflow's moderators lift it (twice: a redelivery): the appeal is closed here, with one audit row.
        var decided = new AppealReviewed(review.AppealId, chat, 7010, "lift", Guid.NewGuid(), DateTimeOffset.UtcNow);
        await world.Bus.Bus.Publish(decided);
        await world.Bus.Bus.Publish(decided);
        await Eventually.PollAsync(
            () => world.Ops.GetFromJsonAsync<JsonElement>(new Uri($"/moderation/appeals?chatId={chat}", UriKind.Relative)),
            appeals => appeals.EnumerateArray().All(a => a.GetProperty("userId").GetInt64() != 7010), TimeSpan.FromSeconds(30));
        var rows = await Eventually.PollAsync(
            () => world.AuditAsync(chat), r => r.Any(x => x.Action == "AppealAccepted"), TimeSpan.FromSeconds(30));
        rows.Should().ContainSingle(r => r.Action == "AppealAccepted").Which.UserId.Should().Be(7010);
    }

    [Fact]
    public async Task Two_appeals_of_one_member_decided_at_the_same_time_file_one_appeal()
    {
        var chat = await world.NewChatAsync();
        await world.AdminSaysAsync(chat, "/mute 7012 1h noise");
        await world.WaitForCallsAsync("restrictChatMember", chat);
        var sessions = world.Moderation.Services.GetRequiredService<ModerationSessions>();
        var intake = world.Moderation.Services.GetRequiredService<AppealIntake>();
        var bus = world.Moderation.Services.GetRequiredService<IBus>();
        var firstRecorded = new TaskCompletionSource();
        var release = new TaskCompletionSource();

        // The first appeal is recorded and its transaction held open; the second is decided meanwhile.
        var first = sessions.RunAsync($"appeal:7012:{Guid.NewGuid():N}", bus, async session =>
        {
            await intake.RecordAsync(session, new AppealSubmitted(1, 7012, chat, "first", DateTimeOffset.UtcNow), CancellationToken.None);
            firstRecorded.SetResult();
            await release.Task;
        }, CancellationToken.None);
        await firstRecorded.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var second = sessions.RunAsync(
            $"appeal:7012:{Guid.NewGuid():N}", bus,
            session => intake.RecordAsync(session, new AppealSubmitted(2, 7012, chat, "second", DateTimeOffset.UtcNow), CancellationToken.None),
            CancellationToken.None);
        // Until the second waits for the first (or, wrongly, has finished without waiting), the first stays open.
        await Eventually.PollAsync(async () => second.IsCompleted || await AppealLockWaitersAsync() > 0, waiting => waiting, TimeSpan.FromSeconds(30));
        release.SetResult();
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(30));

        var open = await world.Ops.GetFromJsonAsync<JsonElement>(new Uri($"/moderation/appeals?chatId={chat}", UriKind.Relative));
        open.EnumerateArray().Should().ContainSingle(a => a.GetProperty("userId").GetInt64() == 7012)
            .Which.GetProperty("text").GetString().Should().Be("first\nsecond");
    }

    [Fact]
    public async Task A_user_with_nothing_to_appeal_is_told_so()
    {
        await world.Telegram.SendMessageAsync(world.Token, new SandboxUserMessage { UserId = 7005, Text = "/appeal let me in", FirstName = "Member" });

        await world.WaitForReplyAsync(7005, t => t == "There is no mute or ban of yours to appeal.");
    }

    [Fact]
    public async Task Trends_count_actions_per_rule_per_day_and_metrics_count_actions_by_action_and_rule()
    {
        var chat = await world.NewChatAsync();
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        await world.PutSettingsAsync(chat, """{"bannedWords": ["trend"]}""");
        await world.SayAsync(chat, 7006, "trend one");
        await world.SayAsync(chat, 7007, "trend two");
        await world.WaitForCallsAsync("deleteMessage", chat, 2);

        var trends = await Eventually.PollAsync(
            () => world.Ops.GetFromJsonAsync<JsonElement>(new Uri($"/moderation/trends?from={Q(from)}&to={Q(DateTimeOffset.UtcNow.AddMinutes(1))}&chatId={chat}", UriKind.Relative)),
            t => t.GetArrayLength() > 0, TimeSpan.FromSeconds(10));
        var point = trends.EnumerateArray().Should().ContainSingle().Subject;
        point.GetProperty("rule").GetString().Should().Be("banned_word");
        point.GetProperty("actions").GetInt64().Should().Be(4, "two deletions and two warnings");

        var metrics = await world.Ops.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        metrics.Split('\n').Should().Contain(l => l.StartsWith("moderation_actions_total{", StringComparison.Ordinal)
            && l.Contains("action=\"DeleteMessage\",rule=\"banned_word\"", StringComparison.Ordinal));
        metrics.Should().Contain("moderation_decision_seconds_bucket{otel_scope_name=\"Atlas.Moderation\",le=\"0.005\"}")
            .And.Contain("moderation_decision_seconds_bucket").And.Contain("moderation_appeals_open");
    }

    // Sessions of this world's database waiting for an advisory lock (nothing else of this class runs meanwhile).
    private async Task<long> AppealLockWaitersAsync()
    {
        await using var connection = new NpgsqlConnection(world.Resources.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static string Q(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
}
