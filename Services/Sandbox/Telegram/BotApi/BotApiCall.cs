using System.Text.Json.Nodes;
using Atlas.Sandbox.Telegram.Bots;

namespace Atlas.Sandbox.Telegram.BotApi;

/// <summary>One Bot API call after its parameters were checked: the bot, the method's spec name and the converted parameters.</summary>
internal sealed record BotApiCall(SandboxBot Bot, string Method, JsonObject Parameters)
{
    public long? Long(string name) => Parameters.Long(name);

    public string? Text(string name) => Parameters.Text(name);

    public bool Flag(string name) => Parameters.Flag(name);
}

/// <summary>Serves one Bot API method.</summary>
internal delegate Task<BotApiResult> BotApiHandler(BotApiCall call, CancellationToken cancellationToken);

/// <summary>A method name and the handler that serves it.</summary>
internal sealed record BotApiMethod(string Name, BotApiHandler Handler);

/// <summary>A feature's Bot API methods; every registered set is served.</summary>
internal interface IBotApiMethodSet
{
    IEnumerable<BotApiMethod> Methods { get; }
}
