using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using Atlas.ServiceDefaults.Messaging;

namespace Atlas.Moderation.Tests.Support;

/// <summary>Reads queue depths of one virtual host from the shared broker's management API.</summary>
internal sealed class BrokerQueues : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _virtualHost;

    public BrokerQueues(string rabbitMqConnectionString)
    {
        var management = Environment.GetEnvironmentVariable("ATLAS_TEST_RABBITMQ_MANAGEMENT")
            ?? throw new InvalidOperationException("ATLAS_TEST_RABBITMQ_MANAGEMENT (the broker's management API) is needed to read queue depths.");
        var connection = RabbitMqConnection.Parse(rabbitMqConnectionString);
        _virtualHost = connection.VirtualHost;
        _http = new HttpClient { BaseAddress = new Uri(management) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{connection.Username}:{connection.Password}")));
    }

    /// <summary>Messages (ready and unacknowledged) in the queue named <paramref name="name"/>; 0 when it does not exist.</summary>
    public async Task<long> DepthAsync(string name)
    {
        var queues = await _http.GetFromJsonAsync<List<QueueInfo>>(new Uri($"api/queues/{Uri.EscapeDataString(_virtualHost)}", UriKind.Relative));
        return queues!.Where(q => q.Name == name).Sum(q => q.Messages);
    }

    public void Dispose() => _http.Dispose();

    private sealed record QueueInfo([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("messages")] long Messages);
}
