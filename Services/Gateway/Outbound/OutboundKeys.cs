using System.Globalization;
using StackExchange.Redis;

namespace Atlas.Gateway.Outbound;

/// <summary>
/// The outbox's Redis keys (the injected <see cref="IDatabase"/> adds <c>Redis:KeyPrefix</c>):
/// <list type="bullet">
/// <item><c>gateway:outbound:chat:{chatId}</c> list, the chat's queue in send order (head = next to send);</item>
/// <item><c>gateway:outbound:due</c> sorted set, chat id scored by the unix ms its head may go (or until its claim lease ends);</item>
/// <item><c>gateway:outbound:next:{chatId}</c> string, the chat's earliest next send (rate spacing, retry_after), expiring then;</item>
/// <item><c>gateway:outbound:window:{chatId}</c> list, a group's recent send times (newest first) for the per-minute limit;</item>
/// <item><c>gateway:outbound:dedup:{idempotencyKey}</c> string, a key seen in the last <see cref="OutboundOptions.IdempotencyWindow"/>;</item>
/// <item><c>gateway:outbound:parked</c> sorted set, chats whose head is parked, scored by when it is retried;</item>
/// <item><c>gateway:outbound:dead</c> list, dead letters newest first;</item>
/// <item><c>gateway:outbound:depth</c> counter, messages queued (parked ones included).</item>
/// <item><c>gateway:outbound:actions:{chatId}</c> list, the chat's moderation actions in order (a lane of its own beside the messages);</item>
/// <item><c>gateway:outbound:actions-due</c> sorted set, chat id scored by the unix ms its next action may run (or until its claim lease ends);</item>
/// <item><c>gateway:outbound:actions-parked</c> sorted set, chats whose next action is parked, scored by when it is tried again;</item>
/// <item><c>gateway:outbound:flood:{chatId}</c> string, until when Telegram's last flood wait (429 retry_after) holds the chat, expiring then;</item>
/// <item><c>gateway:outbound:dedup:action:{actionId}</c> string, a moderation action queued in the last <see cref="OutboundOptions.IdempotencyWindow"/>.</item>
/// </list>
/// </summary>
internal static class OutboundKeys
{
    private const string Root = "gateway:outbound:";

    public static readonly RedisKey Due = Root + "due";
    public static readonly RedisKey Parked = Root + "parked";
    public static readonly RedisKey Dead = Root + "dead";
    public static readonly RedisKey Depth = Root + "depth";
    public static readonly RedisKey ActionsDue = Root + "actions-due";
    public static readonly RedisKey ActionsParked = Root + "actions-parked";

    public static RedisKey Chat(long chatId) => Root + "chat:" + Id(chatId);

    public static RedisKey Next(long chatId) => Root + "next:" + Id(chatId);

    public static RedisKey Window(long chatId) => Root + "window:" + Id(chatId);

    public static RedisKey Dedup(string idempotencyKey) => Root + "dedup:" + idempotencyKey;

    public static RedisKey Actions(long chatId) => Root + "actions:" + Id(chatId);

    public static RedisKey Flood(long chatId) => Root + "flood:" + Id(chatId);

    public static RedisKey ActionDedup(Guid actionId) => Root + "dedup:action:" + actionId.ToString("N");

    public static string Id(long chatId) => chatId.ToString(CultureInfo.InvariantCulture);
}
