using System.Collections.Concurrent;
using Atlas.Contracts.Moderation;
using Atlas.ServiceDefaults.Messaging;
using Atlas.Testing;
using MassTransit;

namespace Atlas.Gateway.Tests.Support;

/// <summary>
/// Counts the effect the ingest tests observe: <see cref="MessagePosted"/>, which the real update handler publishes
/// once per group message it handles. One queue of the test's own on the test's virtual host, consumed one message
/// at a time, so the order per chat is the order the gateway published in.
/// </summary>
public sealed class IngestRecorder : IAsyncDisposable
{
    private const long SentinelChat = long.MinValue;
    private readonly IBusControl _bus;
    private readonly ConcurrentDictionary<long, int> _counts = new();
    private readonly ConcurrentDictionary<long, ConcurrentQueue<long>> _perChat = new();
    private readonly ConcurrentDictionary<long, bool> _sentinels = new();
    private readonly ConcurrentDictionary<long, ConcurrentDictionary<Guid, bool>> _messageIds = new();

    private IngestRecorder(string rabbitMq, bool durable)
    {
        var connection = RabbitMqConnection.Parse(rabbitMq);
        _bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(connection.Host, connection.Port, connection.VirtualHost, host =>
            {
                host.Username(connection.Username);
                host.Password(connection.Password);
            });
            rabbit.ReceiveEndpoint("ingest-tests-message-posted-" + Guid.NewGuid().ToString("N")[..8], endpoint =>
            {
                // A durable queue keeps what was published to it across a broker restart.
                endpoint.AutoDelete = !durable;
                endpoint.Durable = durable;
                endpoint.PrefetchCount = 1;
                endpoint.ConcurrentMessageLimit = 1;
                endpoint.Handler<MessagePosted>(context =>
                {
                    Record(context.Message, context.MessageId);
                    return Task.CompletedTask;
                });
            });
        });
    }

    /// <summary>How many times each update was handled (MessagePosted per UpdateId).</summary>
    public IReadOnlyDictionary<long, int> Counts => _counts;

    public int Distinct => _counts.Count;

    /// <summary>The update ids of one chat in the order they were handled.</summary>
    public IReadOnlyList<long> ChatOrder(long chatId) => _perChat.TryGetValue(chatId, out var order) ? [.. order] : [];

    public int CountOf(long updateId) => _counts.TryGetValue(updateId, out var count) ? count : 0;

    /// <summary>The MessageIds the copies of <paramref name="updateId"/>'s MessagePosted carried (one, when a copy is a repeat).</summary>
    public IReadOnlyCollection<Guid> MessageIdsOf(long updateId) =>
        _messageIds.TryGetValue(updateId, out var ids) ? [.. ids.Keys] : [];

    public static async Task<IngestRecorder> StartAsync(string rabbitMq, bool durable = false)
    {
        var recorder = new IngestRecorder(rabbitMq, durable);
        await recorder._bus.StartAsync().ConfigureAwait(false);
        return recorder;
    }

    /// <summary>Waits until <paramref name="done"/> holds (bounded).</summary>
    public Task WaitUntilAsync(Func<IngestRecorder, bool> done, TimeSpan? timeout = null) =>
        Eventually.PollAsync(() => Task.FromResult(this), done, timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>
    /// Publishes a marker and waits for it: everything published before it (to this vhost) has then been counted.
    /// Call once the gateway is stopped or idle to be sure no late duplicate is still on its way.
    /// </summary>
    public async Task DrainAsync()
    {
        var marker = Random.Shared.NextInt64(1, long.MaxValue);
        await _bus.Publish(new MessagePosted(-marker, SentinelChat, 0, 0, null, null, DateTimeOffset.UtcNow)).ConfigureAwait(false);
        await Eventually.PollAsync(() => Task.FromResult(_sentinels.ContainsKey(marker)), seen => seen, TimeSpan.FromSeconds(30))
            .ConfigureAwait(false);
    }

    public override string ToString() =>
        $"{_counts.Count} updates recorded in {_perChat.Count} chats, {_counts.Count(c => c.Value > 1)} more than once";

    public async ValueTask DisposeAsync() => await _bus.StopAsync().ConfigureAwait(false);

    private void Record(MessagePosted posted, Guid? messageId)
    {
        if (posted.ChatId == SentinelChat)
        {
            _sentinels[-posted.UpdateId] = true;
            return;
        }

        _counts.AddOrUpdate(posted.UpdateId, 1, (_, count) => count + 1);
        _messageIds.GetOrAdd(posted.UpdateId, _ => new ConcurrentDictionary<Guid, bool>())[messageId ?? Guid.Empty] = true;
        _perChat.GetOrAdd(posted.ChatId, _ => new ConcurrentQueue<long>()).Enqueue(posted.UpdateId);
    }
}
