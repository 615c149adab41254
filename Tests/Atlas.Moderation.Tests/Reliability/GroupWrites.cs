using Atlas.Contracts.Moderation;
using Atlas.Moderation.Decisions;
using Atlas.Moderation.Rules;
using Atlas.Moderation.Tests.Support;
using Atlas.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Atlas.Moderation.Tests.Reliability;

/// <summary>
/// Judged messages are written in groups (<see cref="DecisionWriter"/>): a burst of one member's messages still counts
/// every warning in order and escalates at the limit, and an event whose decision fails does not take its group down.
/// </summary>
public sealed class GroupWrites(ModerationWorld world) : IClassFixture<ModerationWorld>
{
    [Fact]
    public async Task A_burst_of_one_members_messages_counts_every_warning_in_order_and_escalates_each_time_the_limit_is_reached()
    {
        var chat = await world.NewChatAsync();
        await world.PutSettingsAsync(chat, """{"bannedWords": ["burst"], "warnLimit": 3, "warnAction": "mute", "floodMessages": 0}""");

        // Seven deliveries at once: they are judged concurrently and written in as few transactions as arrive together.
        await Task.WhenAll(Enumerable.Range(1, 7).Select(i => world.Bus.Bus.Publish(
            new MessagePosted(990_000 + i, chat, 99_000 + i, 5020, null, $"burst number {i}", DateTimeOffset.UtcNow))));

        await Eventually.PollAsync(() => world.ProcessedCountAsync(chat), count => count == 7, TimeSpan.FromSeconds(60));
        var replies = await Eventually.PollAsync(() => world.RepliesAsync(chat), r => r.Count >= 7, TimeSpan.FromSeconds(60));
        replies.Should().HaveCount(7);
        replies.Count(r => r.Contains("warned (1/3)", StringComparison.Ordinal)).Should().Be(3);
        replies.Count(r => r.Contains("warned (2/3)", StringComparison.Ordinal)).Should().Be(2);
        replies.Count(r => r.Contains("reached 3 warnings", StringComparison.Ordinal)).Should().Be(2);
        var audit = await world.AuditAsync(chat);
        audit.Count(a => a.Action == "DeleteMessage").Should().Be(7);
        audit.Count(a => a.Action == "Warn").Should().Be(7);
        audit.Where(a => a.Rule == RuleNames.WarnLimit).Select(a => a.Action).Should().Equal("Restrict", "Restrict");
        (await LiveWarningsAsync(chat, 5020)).Should().Be(1, "the last escalation cleared three, and one came after it");
    }

    [Fact]
    public async Task A_decision_that_fails_fails_alone_and_the_rest_of_its_group_is_written()
    {
        var writer = world.Moderation.Services.GetRequiredService<DecisionWriter>();
        var prefix = $"test:group:{Guid.NewGuid():N}";

        // Enqueued together, so they are likely to share a group; each must end on its own either way.
        var first = writer.WriteAsync($"{prefix}:a", _ => Task.CompletedTask, null, CancellationToken.None);
        var broken = writer.WriteAsync($"{prefix}:b", _ => throw new InvalidOperationException("a broken decision"), null, CancellationToken.None);
        var nothing = writer.WriteAsync($"{prefix}:c", null, null, CancellationToken.None);
        var last = writer.WriteAsync($"{prefix}:d", _ => Task.CompletedTask, null, CancellationToken.None);

        await FluentActions.Awaiting(() => broken).Should().ThrowAsync<InvalidOperationException>().WithMessage("a broken decision");
        (await first).Session.Should().NotBeNull("the event was decided by this delivery");
        (await nothing).Effects.IsEmpty.Should().BeTrue();
        (await last).Session.Should().NotBeNull();
        (await RecordedAsync(prefix)).Should().BeEquivalentTo($"{prefix}:a", $"{prefix}:c", $"{prefix}:d");

        // Written again (a redelivery), a decided event is not decided a second time.
        var again = await writer.WriteAsync($"{prefix}:a", _ => throw new InvalidOperationException("not run again"), null, CancellationToken.None);
        again.Session.Should().BeNull();
    }

    private async Task<long> LiveWarningsAsync(long chatId, long userId)
    {
        await using var connection = new NpgsqlConnection(world.Resources.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM warnings WHERE chat_id = $1 AND user_id = $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = chatId });
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<IReadOnlyList<string>> RecordedAsync(string prefix)
    {
        await using var connection = new NpgsqlConnection(world.Resources.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT event_key FROM processed_events WHERE event_key LIKE $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = prefix + ":%" });
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}
