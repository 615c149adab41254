using System.Diagnostics;
using System.Globalization;
using Atlas.Gateway.Outbound;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.Benchmarks.Gateway;

/// <summary>
/// Outbound sending against the Sandbox enforcing Telegram's caps (1/s per chat, 20/min per group, 30/s overall):
/// a burst of messages to many private chats is queued at once; reports the send rate reached versus the 30/s
/// allowed, the closest spacing seen within one chat, and how many 429s Telegram (the Sandbox) had to give.
/// </summary>
internal static class OutboundSendBenchmark
{
    private static readonly SandboxLimits TelegramLimits = new(PerChatPerSecond: 1, PerChatBurst: 1, PerGroupPerMinute: 20, GlobalPerSecond: 30);

    public static async Task RunAsync(BenchmarkOptions options)
    {
        var chats = Math.Max(1, options.OutboundMessages / 3);
        await using var bench = await GatewayBench.StartAsync("benchoutbound", TelegramLimits, new Dictionary<string, string?>());
        for (var chat = 0; chat < chats; chat++)
        {
            await bench.Sandbox.Telegram.PutChatAsync(bench.Bot.Token, ChatId(chat), "private");
        }

        var outbox = bench.Services.GetRequiredService<IOutbox>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < options.OutboundMessages; i++)
        {
            await outbox.EnqueueAsync(new OutboundMessage($"bench:{i}", ChatId(i % chats), $"message {i / chats} to chat {i % chats}"), CancellationToken.None);
        }

        var enqueued = clock.Elapsed;
        var actions = await bench.Sandbox.Telegram.WaitForActionsAsync(
            bench.Bot.Token, all => all.Count(a => a.Ok) >= options.OutboundMessages, "sendMessage", timeout: TimeSpan.FromMinutes(10));
        var sent = actions.Where(a => a.Ok).ToList();
        var floodWaits = actions.Count(a => a.ErrorCode == 429);
        var span = sent[^1].At - sent[0].At;
        var rate = (sent.Count - 1) / Math.Max(span.TotalSeconds, 0.001);
        var closest = sent.GroupBy(a => a.Parameters["chat_id"]!.GetValue<long>())
            .SelectMany(g => g.OrderBy(a => a.Seq).Zip(g.OrderBy(a => a.Seq).Skip(1), (a, b) => b.At - a.At))
            .DefaultIfEmpty(TimeSpan.Zero)
            .Min();
        var busiestSecond = sent.GroupBy(a => a.At.ToUnixTimeSeconds()).Max(g => g.Count());

        Console.WriteLine($"Gateway outbound sender against the Sandbox's Telegram caps ({options.OutboundMessages} messages to {chats} private chats, {Environment.ProcessorCount} cores)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"sendMessage",-28} {sent.Count,7} sent  {rate,9:0.0} msg/s (allowed 30/s)  busiest second {busiestSecond}  closest in one chat {closest.TotalMilliseconds:0} ms (allowed 1000)  429s {floodWaits}  queued in {enqueued.TotalMilliseconds:0} ms"));
    }

    private static long ChatId(int index) => 7_000_000 + index;
}
