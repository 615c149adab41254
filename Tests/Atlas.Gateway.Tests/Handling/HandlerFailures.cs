using Atlas.Contracts.Moderation;
using Atlas.Gateway.Locales;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using MassTransit;
using Npgsql;
using static Atlas.Gateway.Tests.Support.BotCultures;

namespace Atlas.Gateway.Tests.Handling;

/// <summary>A handler that fails is counted and logged, and the waiting user gets a polite answer instead of silence.</summary>
public sealed class HandlerFailures : IAsyncLifetime
{
    private HandlingGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await HandlingGateway.StartAsync("handling-failures");

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task A_failing_command_answers_politely_and_is_counted_as_a_failure()
    {
        // Break /groups for real: its table disappears from under the running gateway.
        await using (var connection = new NpgsqlConnection(_gateway.Resources.Database))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand("DROP TABLE group_memberships", connection);
            await drop.ExecuteNonQueryAsync();
        }

        await _gateway.SayAsync(4951, "/groups", "ru");
        await _gateway.SayAsync(4951, "/help", "ru");

        var replies = await _gateway.WaitForRepliesAsync(4951, 2);
        replies[0].Should().Be(BotTexts.Get(TextKeys.Error, Russian));
        replies[1].Should().Be(BotTexts.Get(TextKeys.Help, Russian), "the next update is handled as usual");
        _gateway.Metrics.Count("luka_handlers_failure", "groups").Should().Be(1);
    }

    [Fact]
    public async Task A_group_message_is_still_published_when_its_membership_cannot_be_recorded()
    {
        await using (var connection = new NpgsqlConnection(_gateway.Resources.Database))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand("DROP TABLE group_memberships", connection);
            await drop.ExecuteNonQueryAsync();
        }

        var posted = new Received<MessagePosted>();
        await using var moderation = await PeerBus.StartAsync(_gateway.Resources.RabbitMq, bus =>
            bus.ReceiveEndpoint(PeerBus.QueueName("moderation"), e => e.Handler<MessagePosted>(posted.Add)));

        await _gateway.SayInGroupAsync(-1001000000951, 4952, "still moderated");

        (await Eventually.PollAsync(() => Task.FromResult(posted.Items), i => i.Count >= 1, TimeSpan.FromSeconds(30)))
            .Single().Message.Text.Should().Be("still moderated");
    }
}
