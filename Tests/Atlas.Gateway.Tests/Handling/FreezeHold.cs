using Atlas.Gateway.Admin;
using Atlas.Gateway.Freeze;
using Atlas.Gateway.Locales;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Atlas.Gateway.Tests.Support.BotCultures;

namespace Atlas.Gateway.Tests.Handling;

/// <summary>
/// The freeze's hold is durable and ordered: held updates survive a restart, a drain interrupted by a restart goes on
/// at the next start, and an update that arrives while its chat still has held updates waits behind them, with two
/// instances competing to replay and each update answered once.
/// </summary>
public sealed class FreezeHold
{
    // Two instances polling one bot meet Telegram's 409 and back off: their updates can take a while on a busy machine.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Held_updates_survive_restarts_and_an_interrupted_drain_goes_on_at_the_next_start()
    {
        var first = await HandlingGateway.StartAsync("freeze-restart");
        await using var sandboxOwner = first;
        var (resources, sandbox, token) = (first.Resources, first.Sandbox, first.Token);
        (await first.Client.PostAsync(new Uri("/admin/freeze", UriKind.Relative), null)).EnsureSuccessStatusCode();
        foreach (var text in new[] { "/r1", "/r2", "/r3" })
        {
            await first.SayAsync(4901, text);
        }

        await first.SayAsync(4902, "/s1");
        await first.WaitForStatusAsync(status => status.GetProperty("held").GetInt64() == 4);
        await first.StopGatewayAsync();

        // A deploy while frozen: the new instance finds the hold as it was.
        var second = await HandlingGateway.StartAsync("freeze-restart", resources: resources, sandbox: sandbox, token: token);
        await using (second)
        {
            var status = await second.StatusAsync();
            status.GetProperty("frozen").GetBoolean().Should().BeTrue();
            status.GetProperty("held").GetInt64().Should().Be(4);

            // Unfreeze while the replay cannot run (the lock is taken), then stop: the drain is interrupted.
            await using var blocker = await LockReplayAsync(resources.Database);
            (await second.Client.PostAsync(new Uri("/admin/unfreeze", UriKind.Relative), null)).EnsureSuccessStatusCode();
            status = await second.StatusAsync();
            status.GetProperty("draining").GetBoolean().Should().BeTrue();
            status.GetProperty("held").GetInt64().Should().Be(4);
            await second.StopGatewayAsync();
        }

        await using var third = await HandlingGateway.StartAsync("freeze-restart", resources: resources, sandbox: sandbox, token: token);
        await third.WaitForStatusAsync(s => !s.GetProperty("draining").GetBoolean() && s.GetProperty("held").GetInt64() == 0, Settle);
        (await third.WaitForRepliesAsync(4901, 4)).Should().Equal(
            BotTexts.Get(TextKeys.Paused, English), Unknown("r1"), Unknown("r2"), Unknown("r3"));
        (await third.WaitForRepliesAsync(4902, 2)).Should().Equal(BotTexts.Get(TextKeys.Paused, English), Unknown("s1"));
        third.Metrics.Count("luka_updates_replayed", "handled").Should().Be(4);
    }

    [Fact]
    public async Task During_the_drain_a_chat_with_held_updates_queues_behind_them_and_other_chats_are_served_at_once()
    {
        await using var gateway = await HandlingGateway.StartAsync("freeze-drain");
        await using var second = await HandlingGateway.StartAsync(
            "freeze-drain", resources: gateway.Resources, sandbox: gateway.Sandbox, token: gateway.Token);
        (await gateway.Client.PostAsync(new Uri("/admin/freeze", UriKind.Relative), null)).EnsureSuccessStatusCode();
        // The other instance may reuse its "running" read for up to a second (InboundControl.CacheDuration): wait until
        // it sees the freeze, as the handler would, before sending.
        await Eventually.PollAsync(() => second.Services.GetRequiredService<InboundControl>().GetAsync(CancellationToken.None), state => state.Frozen, Settle);
        foreach (var text in new[] { "/a1", "/a2", "/a3" })
        {
            await gateway.SayAsync(4911, text);
        }

        await gateway.WaitForStatusAsync(status => status.GetProperty("held").GetInt64() == 3, Settle);
        var blocker = await LockReplayAsync(gateway.Resources.Database);
        try
        {
            (await second.Client.PostAsync(new Uri("/admin/unfreeze", UriKind.Relative), null)).EnsureSuccessStatusCode();
            (await gateway.StatusAsync()).GetProperty("draining").GetBoolean().Should().BeTrue();

            await gateway.SayAsync(4911, "/a4");
            await gateway.SayAsync(4912, "/b1");
            (await gateway.WaitForRepliesAsync(4912, 1, Settle)).Should().Equal(new[] { Unknown("b1") }, "a chat with nothing held is served at once");
            await gateway.WaitForStatusAsync(status => status.GetProperty("held").GetInt64() == 4, Settle);
            (await gateway.RepliesToAsync(4911)).Should().Equal(BotTexts.Get(TextKeys.Paused, English));
        }
        finally
        {
            await blocker.DisposeAsync();
        }

        await gateway.WaitForStatusAsync(status => !status.GetProperty("draining").GetBoolean() && status.GetProperty("held").GetInt64() == 0, Settle);
        await gateway.SayAsync(4911, "/a5");
        (await gateway.WaitForRepliesAsync(4911, 6, Settle)).Should().Equal(
            BotTexts.Get(TextKeys.Paused, English), Unknown("a1"), Unknown("a2"), Unknown("a3"), Unknown("a4"), Unknown("a5"));
        (gateway.Metrics.Count("luka_updates_replayed", "handled") + second.Metrics.Count("luka_updates_replayed", "handled"))
            .Should().Be(4, "each held update is replayed once, by one of the two instances");
        (await gateway.RepliesToAsync(4911)).Should().HaveCount(6);
    }

    private static string Unknown(string command) => BotTexts.Format(TextKeys.UnknownCommand, English, command);

    // Takes the replay's advisory lock in the gateway's database, as a replaying instance would.
    private static async Task<ReplayBlocker> LockReplayAsync(string database)
    {
        var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await ReplayBlocker.RunAsync(connection, "SELECT pg_advisory_lock($1)");
        return new ReplayBlocker(connection);
    }

    // Unlocks explicitly: a pooled connection would otherwise keep its session, and the lock, after Dispose.
    private sealed class ReplayBlocker(NpgsqlConnection connection) : IAsyncDisposable
    {
        public static async Task RunAsync(NpgsqlConnection connection, string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = HeldUpdateStore.ReplayLockKey });
            await command.ExecuteNonQueryAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await RunAsync(connection, "SELECT pg_advisory_unlock($1)");
            await connection.DisposeAsync();
        }
    }
}
