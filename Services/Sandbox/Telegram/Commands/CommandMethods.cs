using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Atlas.Sandbox.Telegram.BotApi;

namespace Atlas.Sandbox.Telegram.Commands;

/// <summary>setMyCommands, getMyCommands and deleteMyCommands, kept per scope and language as Telegram keeps them.</summary>
internal sealed partial class CommandMethods : IBotApiMethodSet
{
    private const int MaxCommands = 100;

    public IEnumerable<BotApiMethod> Methods =>
    [
        new("setMyCommands", SetAsync),
        new("getMyCommands", GetAsync),
        new("deleteMyCommands", DeleteAsync),
    ];

    private static Task<BotApiResult> SetAsync(BotApiCall call, CancellationToken cancellationToken)
    {
        var commands = (JsonArray)call.Parameters["commands"]!;
        if (commands.Count > MaxCommands)
        {
            return Answer(BotApiResult.BadRequest("too many commands specified"));
        }

        var stored = new JsonArray();
        foreach (var command in commands.OfType<JsonObject>())
        {
            var name = command.Text("command")?.TrimStart('/') ?? "";
            var description = command.Text("description") ?? "";
            if (!CommandShape().IsMatch(name))
            {
                return Answer(BotApiResult.BadRequest("BOT_COMMAND_INVALID"));
            }

            if (description.Trim().Length is 0 or > 256)
            {
                return Answer(BotApiResult.BadRequest("BOT_COMMAND_DESCRIPTION_INVALID"));
            }

            stored.Add(new JsonObject { ["command"] = name, ["description"] = description });
        }

        var bot = call.Bot;
        lock (bot.Sync)
        {
            if (stored.Count == 0)
            {
                bot.Commands.Remove(Key(call));
            }
            else
            {
                bot.Commands[Key(call)] = stored;
            }
        }

        return Answer(BotApiResult.True());
    }

    private static Task<BotApiResult> GetAsync(BotApiCall call, CancellationToken cancellationToken)
    {
        var bot = call.Bot;
        lock (bot.Sync)
        {
            return Answer(BotApiResult.Success(bot.Commands.TryGetValue(Key(call), out var commands) ? commands.Copy() : new JsonArray()));
        }
    }

    private static Task<BotApiResult> DeleteAsync(BotApiCall call, CancellationToken cancellationToken)
    {
        var bot = call.Bot;
        lock (bot.Sync)
        {
            bot.Commands.Remove(Key(call));
        }

        return Answer(BotApiResult.True());
    }

    /// <summary>One list per scope (kind, chat, user) and language code.</summary>
    private static string Key(BotApiCall call)
    {
        var scope = call.Parameters.Object("scope");
        var chat = scope?["chat_id"]?.ToJsonString() ?? "";
        return $"{scope.Text("type") ?? "default"}|{chat}|{scope.Long("user_id")}|{call.Text("language_code")}";
    }

    private static Task<BotApiResult> Answer(BotApiResult result) => Task.FromResult(result);

    [GeneratedRegex("^[a-z0-9_]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex CommandShape();
}
