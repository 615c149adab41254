using System.Text.Json.Nodes;
using Atlas.Contracts.Moderation;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using MassTransit;
using Npgsql;

namespace Atlas.Gateway.Tests.Support;

/// <summary>
/// A gateway whose bot administers one supergroup (it may delete and restrict), and Moderation's side of the bus:
/// the ModerationActionExecuted reports it receives, and the outcome the gateway recorded per ActionId.
/// </summary>
public abstract class ModerationActionGateway(long chat, string name, IReadOnlyDictionary<string, string?>? settings = null) : IAsyncLifetime
{
    protected long Chat { get; } = chat;

    protected HandlingGateway Gateway { get; private set; } = null!;

    protected PeerBus Moderation { get; private set; } = null!;

    protected Received<ModerationActionExecuted> Executed { get; } = new();

    public async Task InitializeAsync()
    {
        Gateway = await HandlingGateway.StartAsync(name, settings);
        var botId = TelegramBotToken.BotIdOf(Gateway.Token);
        await Gateway.Telegram.SetMemberStatusAsync(
            Gateway.Token, Chat, botId, "administrator",
            new JsonObject { ["can_restrict_members"] = true, ["can_delete_messages"] = true }, chatType: "supergroup");
        Moderation = await PeerBus.StartAsync(Gateway.Resources.RabbitMq, bus =>
            bus.ReceiveEndpoint(PeerBus.QueueName("moderation"), e => e.Handler<ModerationActionExecuted>(Executed.Add)));
    }

    public async Task DisposeAsync()
    {
        await Moderation.DisposeAsync();
        await Gateway.DisposeAsync();
    }

    protected Task<string?> WaitForOutcomeAsync(Guid actionId, string outcome) =>
        Eventually.PollAsync(() => OutcomeAsync(actionId), o => o == outcome, TimeSpan.FromSeconds(30));

    /// <summary>The outcomes Moderation was told of for <paramref name="actionId"/>, once the first has arrived.</summary>
    protected async Task<IReadOnlyList<string>> ReportedAsync(Guid actionId) =>
        await Eventually.PollAsync(
            () => Task.FromResult<IReadOnlyList<string>>([.. Executed.Items.Where(i => i.Message.ActionId == actionId).Select(i => i.Message.Outcome)]),
            reported => reported.Count > 0, TimeSpan.FromSeconds(30));

    /// <summary>The outcome the gateway recorded for <paramref name="actionId"/>; null while it has not run.</summary>
    protected async Task<string?> OutcomeAsync(Guid actionId)
    {
        await using var connection = new NpgsqlConnection(Gateway.Resources.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT outcome FROM moderation_actions_executed WHERE action_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = actionId });
        return await command.ExecuteScalarAsync() as string;
    }
}
