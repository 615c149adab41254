extern alias gateway;
using System.Globalization;
using System.Text.Json.Nodes;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using GatewayTexts = gateway::Atlas.Gateway.Locales.BotTexts;

namespace Atlas.Workflow.Tests.Support;

/// <summary>
/// Operators in Telegram: one Sandbox (Telegram and Camunda), the real gateway polling the Sandbox bot, and the
/// workflow service, on one virtual host of the real RabbitMQ, each service with its own database and Redis prefix.
/// Alice (<see cref="WorkflowWorld.OperatorUserId"/>) is a workflow operator and admin, Bob (<see cref="BobUserId"/>)
/// an operator but no admin, <see cref="StrangerUserId"/> neither. What the bot did is read from the Sandbox's action log.
/// </summary>
public sealed class OperatorBotWorld : IAsyncDisposable
{
    public const long BobUserId = 1002;
    public const long StrangerUserId = 4040;

    private readonly ServiceFactory<gateway::Program> _gateway;

    private OperatorBotWorld(WorkflowWorld workflow, string token, ServiceFactory<gateway::Program> gateway)
    {
        Workflow = workflow;
        Token = token;
        _gateway = gateway;
    }

    public WorkflowWorld Workflow { get; }

    public string Token { get; }

    public TelegramSandboxClient Telegram => Workflow.Sandbox.Telegram;

    public CamundaControl Camunda => Workflow.Camunda;

    /// <summary>The gateway's services (to look at its Redis state).</summary>
    public IServiceProvider GatewayServices => _gateway.Services;

    public static async Task<OperatorBotWorld> StartAsync(IReadOnlyDictionary<string, string?>? workflowSettings = null)
    {
        var overrides = new Dictionary<string, string?>(workflowSettings ?? new Dictionary<string, string?>())
        {
            ["Workflow:Operators:1:TelegramUserId"] = BobUserId.ToString(CultureInfo.InvariantCulture),
            ["Workflow:Operators:1:UserName"] = "bob",
            ["Workflow:Operators:1:CandidateGroups:0"] = "moderators",
        };
        var workflow = await WorkflowWorld.StartAsync(overrides);
        var token = (await workflow.Sandbox.Telegram.CreateBotAsync(TelegramBotToken.Create(), "atlas_ops_bot", "Atlas")).Token;
        await workflow.Sandbox.Telegram.SetLimitsAsync(token, SandboxLimits.Unlimited);
        var gatewayResources = workflow.Resources with
        {
            Database = await workflow.Resources.Servers.CreateDatabaseAsync("wfgateway"),
            RedisKeyPrefix = RealServers.NewKeyPrefix("wfgateway"),
        };
        var gateway = new ServiceFactory<gateway::Program>("gatewaydb", gatewayResources, new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = token,
            ["Telegram:ApiBaseUrl"] = workflow.Sandbox.BaseUrl.ToString(),
            ["Telegram:Mode"] = "Polling",
            ["Telegram:PollingTimeoutSeconds"] = "1",
            ["Gateway:AdminApiKey"] = "workflow-tests-gateway-key",
            ["Gateway:RateLimits:BurstSeconds"] = "10",
            ["Gateway:Requests:TasksTimeout"] = "00:00:30",
        });
        return new OperatorBotWorld(workflow, token, gateway);
    }

    /// <summary>Starts the gateway and the workflow service and waits until both are ready and the processes are deployed.</summary>
    public async Task<WebApplicationFactoryHandle> StartServicesAsync()
    {
        var service = Workflow.StartService();
        await Task.WhenAll(Task.Run(() => _ = _gateway.Server), Task.Run(() => service.CreateClient().Dispose()));
        using var gatewayClient = _gateway.CreateClient();
        using var workflowClient = service.CreateClient();
        foreach (var client in new[] { gatewayClient, workflowClient })
        {
            await Eventually.PollAsync(
                async () => (await client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode,
                status => status == System.Net.HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        }

        await WorkflowHttp.WaitDeployedAsync(Workflow);
        return service;
    }

    /// <summary>The bot text <paramref name="key"/> in English, as the gateway words it.</summary>
    public static string Text(string key, params object?[] arguments) =>
        arguments.Length == 0 ? GatewayTexts.Get(key, CultureInfo.GetCultureInfo("en")) : GatewayTexts.Format(key, CultureInfo.GetCultureInfo("en"), arguments);

    /// <summary>The start of bot text <paramref name="key"/> up to its last placeholder (filled with <paramref name="arguments"/> before it).</summary>
    public static string TextBefore(string key, params object?[] arguments)
    {
        const string marker = "\u0001";
        var text = Text(key, [.. arguments, marker]);
        return text[..text.IndexOf(marker, StringComparison.Ordinal)];
    }

    /// <summary>User <paramref name="userId"/> writes to the bot in private (optionally in reply to a bot message).</summary>
    public Task<SandboxInjectedMessage> SayAsync(long userId, string text, long? replyTo = null) =>
        Telegram.SendMessageAsync(Token, new SandboxUserMessage
        {
            UserId = userId, Text = text, LanguageCode = "en", FirstName = "Op", Username = $"user{userId}", ReplyToMessageId = replyTo,
        });

    /// <summary>User <paramref name="userId"/> presses the button with <paramref name="data"/> under bot message <paramref name="messageId"/>.</summary>
    public Task<SandboxInjectedCallbackQuery> PressAsync(long userId, long messageId, string data) =>
        Telegram.SendCallbackQueryAsync(Token, new SandboxCallbackQuery(userId, userId, messageId, data, "Op", "en", $"user{userId}"));

    /// <summary>The bot's messages to <paramref name="chatId"/>, oldest first.</summary>
    public async Task<IReadOnlyList<BotMessage>> MessagesAsync(long chatId) =>
        [.. (await Telegram.GetActionsAsync(Token, method: "sendMessage"))
            .Where(a => a.Ok && a.Parameters["chat_id"]?.GetValue<long>() == chatId)
            .Select(BotMessage.From)];

    /// <summary>Waits for the bot's message to <paramref name="chatId"/> that satisfies <paramref name="match"/>.</summary>
    public async Task<BotMessage> WaitForMessageAsync(long chatId, Func<BotMessage, bool> match)
    {
        try
        {
            var messages = await Eventually.PollAsync(() => MessagesAsync(chatId), m => m.Any(match), TimeSpan.FromSeconds(45));
            return messages.First(match);
        }
        catch (TimeoutException timeout)
        {
            // Name what the bot did say, so a failure shows the wrong answer instead of a type name.
            var said = string.Join("\n---\n", (await MessagesAsync(chatId)).Select(m => m.Text));
            throw new TimeoutException($"The bot never sent the expected message to {chatId}; it sent:\n{said}", timeout);
        }
    }

    /// <summary>Waits for the answer to callback query <paramref name="queryId"/>; returns its toast text (null when none).</summary>
    public async Task<string?> WaitForCallbackAnswerAsync(string queryId)
    {
        var answers = await Eventually.PollAsync(
            async () => (await Telegram.GetActionsAsync(Token, method: "answerCallbackQuery")).Where(a => a.Parameters["callback_query_id"]?.GetValue<string>() == queryId).ToList(),
            a => a.Count > 0, TimeSpan.FromSeconds(45));
        return answers[0].Parameters["text"]?.GetValue<string>();
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await Workflow.DisposeAsync();
    }
}

/// <summary>A message the bot sent: its id, text and inline buttons (label → callback data).</summary>
public sealed record BotMessage(long MessageId, string Text, IReadOnlyList<(string Label, string Data)> Buttons)
{
    public static BotMessage From(SandboxAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var markup = action.Parameters["reply_markup"] switch
        {
            JsonValue text when text.TryGetValue<string>(out var json) => JsonNode.Parse(json),
            var node => node,
        };
        var buttons = markup?["inline_keyboard"]?.AsArray().SelectMany(row => row!.AsArray())
            .Select(b => (b!["text"]!.GetValue<string>(), b["callback_data"]?.GetValue<string>() ?? "")).ToList() ?? [];
        return new BotMessage(action.Result!["message_id"]!.GetValue<long>(), action.Parameters["text"]!.GetValue<string>(), buttons);
    }

    public string Data(string label) => Buttons.Single(b => b.Label == label).Data;
}
