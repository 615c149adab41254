using Atlas.Gateway.Commands;
using Atlas.Gateway.Locales;
using Atlas.Gateway.Tests.Support;
using Atlas.ServiceDefaults;
using Atlas.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;
using static Atlas.Gateway.Tests.Support.BotCultures;

namespace Atlas.Gateway.Tests.Handling;

/// <summary>
/// An answer that left the chat's turn (LLM, search, tasks) is owed in Redis until delivered, so a gateway that stops
/// or dies while waiting for a peer does not swallow it: the next gateway to look tells the user politely, once.
/// </summary>
public sealed class OwedAnswers
{
    private static readonly Dictionary<string, string?> ShortLease = new() { ["Gateway:Requests:PendingAnswerLease"] = "00:00:03" };

    [Fact]
    public async Task A_question_still_waiting_for_the_llm_when_its_gateway_stops_is_answered_politely_by_the_next_gateway()
    {
        // Nobody answers the LLM request, and the stop gives pending answers 1 s: the question is still owed when it stops.
        await using var first = await StartUnansweredAsync("owed-stop", answerDeadline: "00:01:00");
        await using var connection = await ConnectionMultiplexer.ConnectAsync(first.Resources.Redis);
        var redis = connection.GetDatabase().WithKeyPrefix(first.Resources.RedisKeyPrefix);
        var owedBy = AnswerJournal.DebtsKey(first.Services.GetRequiredService<ServiceIdentity>().InstanceId);
        await first.SayAsync(4701, "Сколько будет два плюс два?", "ru");
        await Eventually.PollAsync(() => redis.HashLengthAsync(owedBy), count => count == 1, TimeSpan.FromSeconds(30));
        (await first.RepliesToAsync(4701)).Should().BeEmpty();

        await first.StopGatewayAsync();

        // Either the stopping gateway still told the user, or the answer stayed owed and the next gateway tells them:
        // one polite answer either way, and nothing left owed.
        await using var next = await HandlingGateway.StartAsync(
            "owed-stop", ShortLease, resources: first.Resources, sandbox: first.Sandbox, token: first.Token);
        (await next.WaitForRepliesAsync(4701)).Should().Equal(BotTexts.Get(TextKeys.ServiceUnavailable, Russian));
        await Eventually.PollAsync(() => redis.KeyExistsAsync(owedBy), exists => !exists, TimeSpan.FromSeconds(30));
        await next.SayAsync(4701, "/help", "ru");
        var replies = await next.WaitForRepliesAsync(4701, 2);
        replies[0].Should().Be(BotTexts.Get(TextKeys.ServiceUnavailable, Russian));
        replies[1].Should().NotBe(replies[0], "the user is told once; the next answer is /help's");
    }

    [Fact]
    public async Task A_user_told_their_answer_is_late_is_not_told_again_when_the_gateway_stops_before_it_comes()
    {
        // Nobody answers: after the 1 s deadline the user hears "taking too long", and the late answer may still come.
        await using var first = await StartUnansweredAsync("owed-late", answerDeadline: "00:00:01");
        await using var connection = await ConnectionMultiplexer.ConnectAsync(first.Resources.Redis);
        var redis = connection.GetDatabase().WithKeyPrefix(first.Resources.RedisKeyPrefix);
        var firstInstance = first.Services.GetRequiredService<ServiceIdentity>().InstanceId;
        var owedBy = AnswerJournal.DebtsKey(firstInstance);
        await first.SayAsync(4731, "Сколько будет три плюс три?", "ru");
        (await first.WaitForRepliesAsync(4731)).Should().Equal(BotTexts.Get(TextKeys.ServiceUnavailable, Russian));
        await Eventually.PollAsync(() => redis.HashLengthAsync(owedBy), count => count == 0, TimeSpan.FromSeconds(10));

        await first.StopGatewayAsync();

        await using var next = await HandlingGateway.StartAsync(
            "owed-late", ShortLease, resources: first.Resources, sandbox: first.Sandbox, token: first.Token);
        // The next gateway has looked at what the stopped one left (anything still owed would be told now, before /help).
        await Eventually.PollAsync(() => redis.SetContainsAsync(AnswerJournal.InstancesKey, firstInstance), present => !present, TimeSpan.FromSeconds(30));
        await next.SayAsync(4731, "/help", "ru");
        var replies = await next.WaitForRepliesAsync(4731, 2);
        replies[1].Should().NotBe(replies[0], "the user was told once that the answer is late; the next answer is /help's");
    }

    [Fact]
    public async Task Answers_a_crashed_gateway_owed_are_told_once_and_a_live_gateways_are_left_alone()
    {
        await using var gateway = await HandlingGateway.StartAsync("owed-crash", ShortLease);
        var redis = gateway.Services.GetRequiredService<IDatabase>();
        // The users have written to the bot before (Telegram lets a bot write only to users who did).
        await gateway.SayAsync(4711, "/help", "ru");
        await gateway.SayAsync(4712, "/help", "en");
        var help = (await gateway.WaitForRepliesAsync(4711)).Single();
        await gateway.WaitForRepliesAsync(4712);

        // What a gateway killed with -9 leaves behind: its owed answers, its name in the set, and a lease that ran out.
        var crashed = $"crashed-{Guid.NewGuid():N}";
        await redis.SetAddAsync(AnswerJournal.InstancesKey, crashed);
        await redis.HashSetAsync(AnswerJournal.DebtsKey(crashed), [new HashEntry(880_001, "4711:ru"), new HashEntry(880_002, "4712:en")]);
        // Another gateway, alive and still waiting for its peers.
        var alive = $"alive-{Guid.NewGuid():N}";
        await redis.SetAddAsync(AnswerJournal.InstancesKey, alive);
        await redis.StringSetAsync(AnswerJournal.LeaseKey(alive), 1, TimeSpan.FromMinutes(5));
        await redis.HashSetAsync(AnswerJournal.DebtsKey(alive), 880_003, "4713:en");

        (await gateway.WaitForRepliesAsync(4711, 2))[1].Should().Be(BotTexts.Get(TextKeys.ServiceUnavailable, Russian));
        (await gateway.WaitForRepliesAsync(4712, 2))[1].Should().Be(BotTexts.Get(TextKeys.ServiceUnavailable, English));
        await Eventually.PollAsync(() => redis.SetContainsAsync(AnswerJournal.InstancesKey, crashed), present => !present, TimeSpan.FromSeconds(30));
        (await redis.KeyExistsAsync(AnswerJournal.DebtsKey(crashed))).Should().BeFalse();

        // The same debt found again (a gateway that took it over died before striking it): the user is not told twice.
        var again = $"crashed-{Guid.NewGuid():N}";
        await redis.SetAddAsync(AnswerJournal.InstancesKey, again);
        await redis.HashSetAsync(AnswerJournal.DebtsKey(again), 880_001, "4711:ru");
        await Eventually.PollAsync(() => redis.KeyExistsAsync(AnswerJournal.DebtsKey(again)), exists => !exists, TimeSpan.FromSeconds(30));
        await gateway.SayAsync(4711, "/help", "ru");
        (await gateway.WaitForRepliesAsync(4711, 3)).Should().Equal(help, BotTexts.Get(TextKeys.ServiceUnavailable, Russian), help);

        (await redis.HashGetAsync(AnswerJournal.DebtsKey(alive), 880_003)).ToString().Should().Be("4713:en");
        (await gateway.RepliesToAsync(4713)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_delivered_answer_is_no_longer_owed()
    {
        await using var gateway = await HandlingGateway.StartAsync("owed-delivered");
        var redis = gateway.Services.GetRequiredService<IDatabase>();
        var owedBy = AnswerJournal.DebtsKey(gateway.Services.GetRequiredService<ServiceIdentity>().InstanceId);

        // No LLM answers: after ChatTimeout (3 s here) the user is told politely by this gateway, and nothing stays owed.
        await gateway.SayAsync(4721, "Is anyone there?", "en");
        (await gateway.WaitForRepliesAsync(4721)).Should().Equal(BotTexts.Get(TextKeys.ServiceUnavailable, English));
        await Eventually.PollAsync(() => redis.HashLengthAsync(owedBy), count => count == 0, TimeSpan.FromSeconds(10));
        (await redis.SetContainsAsync(AnswerJournal.InstancesKey, gateway.Services.GetRequiredService<ServiceIdentity>().InstanceId)).Should().BeTrue();
    }

    // A gateway whose LLM questions go unanswered for a minute; its stop gives pending answers 1 s.
    private static Task<HandlingGateway> StartUnansweredAsync(string hint, string answerDeadline) =>
        HandlingGateway.StartAsync(hint, new Dictionary<string, string?>
        {
            ["Gateway:Requests:ChatTimeout"] = "00:01:00",
            ["Gateway:Requests:AnswerDeadline"] = answerDeadline,
            ["Gateway:Ingest:ShutdownDrainTimeout"] = "00:00:01",
        });
}
