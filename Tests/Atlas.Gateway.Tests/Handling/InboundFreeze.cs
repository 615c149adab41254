using System.Net;
using System.Text.Json;
using Atlas.Contracts.Moderation;
using Atlas.Gateway.Locales;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using MassTransit;
using static Atlas.Gateway.Tests.Support.BotCultures;

namespace Atlas.Gateway.Tests.Handling;

/// <summary>
/// Freezing inbound (admin command or ops API): only admins are served, everyone else is told once that the bot is
/// paused and their updates are held, then replayed in order at unfreeze; the state lives in Redis, so every instance agrees.
/// </summary>
public sealed class InboundFreeze : IAsyncLifetime
{
    private HandlingGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await HandlingGateway.StartAsync("handling-freeze");

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task An_admin_freezes_users_are_told_once_and_after_unfreeze_every_held_update_is_handled_once_in_order()
    {
        var posted = new Received<MessagePosted>();
        await using var moderation = await PeerBus.StartAsync(_gateway.Resources.RabbitMq, bus =>
            bus.ReceiveEndpoint(PeerBus.QueueName("moderation"), e => e.Handler<MessagePosted>(posted.Add)));
        await _gateway.SayAsync(HandlingGateway.AdminId, "/freeze", "ru");
        (await _gateway.WaitForReplyAsync(HandlingGateway.AdminId, _ => true)).Should().Be(BotTexts.Get(TextKeys.AdminFrozen, Russian));

        await _gateway.SayAsync(4801, "/one", "ru");
        await _gateway.SayAsync(4801, "/two", "ru");
        await _gateway.SayInGroupAsync(-1001000000801, 4802, "group talk");
        await _gateway.SayAsync(4801, "/three", "ru");
        await _gateway.WaitForStatusAsync(status => status.GetProperty("held").GetInt64() == 4);

        (await _gateway.WaitForRepliesAsync(4801, 1)).Should().Equal(BotTexts.Get(TextKeys.Paused, Russian));
        await _gateway.SayAsync(HandlingGateway.AdminId, "/help", "en");
        (await _gateway.WaitForRepliesAsync(HandlingGateway.AdminId, 2))[1].Should().Be(BotTexts.Get(TextKeys.Help, English), "admins are served at once");
        (await _gateway.RepliesToAsync(4801)).Should().HaveCount(1, "held updates get the one notice and no answer");
        posted.Items.Should().BeEmpty("a frozen gateway holds group messages too");

        await _gateway.SayAsync(HandlingGateway.AdminId, "/unfreeze", "en");
        (await _gateway.WaitForRepliesAsync(HandlingGateway.AdminId, 3))[2].Should().Be(BotTexts.Get(TextKeys.AdminUnfrozen, English));
        await _gateway.WaitForStatusAsync(status => !status.GetProperty("draining").GetBoolean() && status.GetProperty("held").GetInt64() == 0);
        (await _gateway.WaitForRepliesAsync(4801, 4)).Should().Equal(
            BotTexts.Get(TextKeys.Paused, Russian),
            BotTexts.Format(TextKeys.UnknownCommand, Russian, "one"),
            BotTexts.Format(TextKeys.UnknownCommand, Russian, "two"),
            BotTexts.Format(TextKeys.UnknownCommand, Russian, "three"));
        (await Eventually.PollAsync(() => Task.FromResult(posted.Items), items => items.Count >= 1, TimeSpan.FromSeconds(30)))
            .Should().ContainSingle().Which.Message.Text.Should().Be("group talk");

        await _gateway.SayAsync(4801, "/help", "ru");
        (await _gateway.WaitForRepliesAsync(4801, 5))[4].Should().Be(BotTexts.Get(TextKeys.Help, Russian));
        (await _gateway.RepliesToAsync(4801)).Should().HaveCount(5, "every held update was answered exactly once");
        posted.Items.Should().ContainSingle("the held group message was passed on once");
        _gateway.Metrics.Count("luka_updates_replayed", "handled").Should().Be(4);
        _gateway.Metrics.Dropped("frozen").Should().Be(0, "nothing is dropped by a freeze");
    }

    [Fact]
    public async Task A_non_admin_cannot_freeze()
    {
        await _gateway.SayAsync(4803, "/freeze", "en");

        (await _gateway.WaitForReplyAsync(4803, _ => true)).Should().Be(BotTexts.Format(TextKeys.UnknownCommand, English, "freeze"));
        using var status = JsonDocument.Parse(await _gateway.Client.GetStringAsync(new Uri("/admin/status", UriKind.Relative)));
        status.RootElement.GetProperty("frozen").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task The_ops_api_freezes_every_instance_and_unfreezes_from_another()
    {
        // A second instance of the same gateway: same bot, same Redis, PostgreSQL and broker.
        await using var second = await HandlingGateway.StartAsync(
            "handling-freeze", resources: _gateway.Resources, sandbox: _gateway.Sandbox, token: _gateway.Token);

        using var freeze = await _gateway.Client.PostAsync(new Uri("/admin/freeze", UriKind.Relative), null);
        freeze.StatusCode.Should().Be(HttpStatusCode.OK);
        using (var body = JsonDocument.Parse(await freeze.Content.ReadAsStringAsync()))
        {
            body.RootElement.GetProperty("frozen").GetBoolean().Should().BeTrue();
        }

        using (var status = JsonDocument.Parse(await second.Client.GetStringAsync(new Uri("/admin/status", UriKind.Relative))))
        {
            status.RootElement.GetProperty("frozen").GetBoolean().Should().BeTrue("the freeze is shared through Redis");
            status.RootElement.GetProperty("frozenSince").ValueKind.Should().Be(JsonValueKind.String);
            status.RootElement.GetProperty("redisAvailable").GetBoolean().Should().BeTrue();
        }

        await _gateway.SayAsync(4804, "/help", "en");
        (await _gateway.WaitForReplyAsync(4804, _ => true)).Should().Be(BotTexts.Get(TextKeys.Paused, English));

        using var unfreeze = await second.Client.PostAsync(new Uri("/admin/unfreeze", UriKind.Relative), null);
        unfreeze.StatusCode.Should().Be(HttpStatusCode.OK);
        await _gateway.SayAsync(4804, "/help", "en");
        (await _gateway.WaitForRepliesAsync(4804, 2))[1].Should().Be(BotTexts.Get(TextKeys.Help, English));

        using var anonymous = _gateway.CreateClientWithoutKey();
        using var refused = await anonymous.PostAsync(new Uri("/admin/freeze", UriKind.Relative), null);
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
