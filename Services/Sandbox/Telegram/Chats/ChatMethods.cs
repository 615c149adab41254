using System.Text.Json.Nodes;
using Atlas.Sandbox.Telegram.BotApi;

namespace Atlas.Sandbox.Telegram.Chats;

/// <summary>getChat: a chat the bot knows as a ChatFullInfo, with the fields the spec requires and the names it has.</summary>
internal sealed class ChatMethods : IBotApiMethodSet
{
    /// <summary>Telegram's default: a newly made chat shows accent colour 0 and allows up to 11 reactions per message.</summary>
    private const int DefaultMaxReactionCount = 11;

    public IEnumerable<BotApiMethod> Methods => [new("getChat", GetChatAsync)];

    private static Task<BotApiResult> GetChatAsync(BotApiCall call, CancellationToken cancellationToken) =>
        ChatAccess.InChat(call, (_, chat) =>
        {
            var info = chat.ToJson();
            info["accent_color_id"] = 0;
            info["max_reaction_count"] = DefaultMaxReactionCount;
            info["accepted_gift_types"] = new JsonObject
            {
                ["unlimited_gifts"] = false,
                ["limited_gifts"] = false,
                ["unique_gifts"] = false,
                ["premium_subscription"] = false,
                ["gifts_from_channels"] = false,
            };
            return BotApiResult.Success(info);
        });
}
