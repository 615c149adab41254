using System.Net;
using Atlas.Contracts.Telegram;
using Atlas.Gateway.Outbound;
using Atlas.Gateway.Tests.Support;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.Gateway.Tests.Outbound;

/// <summary>The whole gateway: other services' SendTelegramMessage commands over the real broker reach Telegram through the outbox.</summary>
public sealed class OutboundThroughGateway(OutboundSandbox fixture) : IClassFixture<OutboundSandbox>, IAsyncLifetime
{
    private const long Chat = 1501;
    private SandboxBot _bot = null!;
    private ServiceFactory<Program> _gateway = null!;

    public async Task InitializeAsync()
    {
        _bot = await fixture.Sandbox.Telegram.CreateBotAsync(TelegramBotToken.Create());
        await fixture.Sandbox.Telegram.PutChatAsync(_bot.Token, Chat, "private");
        _gateway = new ServiceFactory<Program>("gatewaydb", await IsolatedResources.CreateAsync("outbound"), new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = _bot.Token,
            ["Telegram:ApiBaseUrl"] = fixture.Sandbox.BaseUrl.ToString(),
        });
        using var client = _gateway.CreateClient();
        await Eventually.PollAsync(
            async () => (await client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task A_SendTelegramMessage_delivered_twice_by_the_bus_sends_one_message()
    {
        await using var bus = await TestBus.StartAsync(_gateway.Resources.RabbitMq);
        using var metrics = new GatewayMetricsProbe(_gateway.Services);
        var command = new SendTelegramMessage("workflow:task-7:assigned", Chat, "Task 7 is yours");

        await bus.Bus.Publish(command);
        await bus.Bus.Publish(command);
        await bus.Bus.Publish(command with { IdempotencyKey = "workflow:task-8:assigned", Text = "Task 8 is yours" });

        await fixture.Sandbox.Telegram.WaitForActionsAsync(_bot.Token, "sendMessage", 2, timeout: TimeSpan.FromSeconds(30));
        await Eventually.PollAsync(() => Task.FromResult(metrics.Outcome("duplicate")), n => n == 1, TimeSpan.FromSeconds(10));
        var texts = (await fixture.Sandbox.Telegram.GetChatMessagesAsync(_bot.Token, Chat)).Where(m => m.FromBot).Select(m => m.Text);
        texts.Should().Equal("Task 7 is yours", "Task 8 is yours");
    }

    [Fact]
    public async Task A_SendTelegramMessage_with_empty_text_is_kept_as_a_dead_letter_with_the_reason()
    {
        await using var bus = await TestBus.StartAsync(_gateway.Resources.RabbitMq);

        await bus.Bus.Publish(new SendTelegramMessage("workflow:empty", Chat, "   "));

        var store = _gateway.Services.GetRequiredService<OutboundStore>();
        var deadLetters = await Eventually.PollAsync(() => store.DeadLettersAsync(10, CancellationToken.None), d => d.Count == 1, TimeSpan.FromSeconds(30));
        deadLetters[0].Reason.Should().Contain("Text is empty");
        deadLetters[0].Message!.IdempotencyKey.Should().Be("workflow:empty");
        (await fixture.Sandbox.Telegram.GetActionsAsync(_bot.Token, method: "sendMessage")).Should().BeEmpty();
    }
}
