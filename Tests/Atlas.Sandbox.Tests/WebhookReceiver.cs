using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Atlas.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Atlas.Sandbox.Tests;

/// <summary>A webhook endpoint on 127.0.0.1 that records what it receives and answers with a status the test chooses.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedUpdate> _received = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>The status the next deliveries get.</summary>
    public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

    /// <summary>While true, deliveries hang until the webhook times out or <see cref="Release"/> is called.</summary>
    public bool Hang { get; set; }

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<ReceivedUpdate> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ListenOnFreePort();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", receiver.HandleAsync);
        await app.StartAsync();
        receiver.Url = new Uri(Loopback.BaseUrl(app), "hook");
        return receiver;
    }

    public void Release() => _release.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.DisposeAsync();
    }

    private async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var update = await request.ReadFromJsonAsync<JsonObject>(cancellationToken);
        _received.Enqueue(new ReceivedUpdate(update!, request.Headers["X-Telegram-Bot-Api-Secret-Token"].ToString(), request.ContentType));
        if (Hang)
        {
            await _release.Task.WaitAsync(cancellationToken);
        }

        return Results.StatusCode((int)Status);
    }
}

/// <summary>One delivery as the webhook saw it.</summary>
internal sealed record ReceivedUpdate(JsonObject Update, string SecretToken, string? ContentType)
{
    public long UpdateId => Update["update_id"]!.GetValue<long>();
}
