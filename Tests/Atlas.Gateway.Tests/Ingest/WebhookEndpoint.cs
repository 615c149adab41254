using System.Net;
using System.Text;
using System.Text.Json;
using Atlas.Gateway.Apis;
using Atlas.Gateway.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.Gateway.Tests.Ingest;

/// <summary>The webhook endpoint at the HTTP edge: secret, size cap, bad input, duplicates. Updates are posted directly.</summary>
public sealed class WebhookEndpoint : IAsyncLifetime
{
    private const string Secret = "ingest-webhook-secret_1";
    private IngestWorld? _world;
    private IngestGateway? _gateway;

    private IngestGateway Gateway => _gateway!;

    private IngestRecorder Recorder => _world!.Recorder;

    public async Task InitializeAsync()
    {
        _world = await IngestWorld.StartAsync("ingestwebhook");
        _gateway = await _world.StartGatewayAsync(new Dictionary<string, string?>
        {
            ["Telegram:WebhookSecret"] = Secret,
            ["Telegram:WebhookMaxBodyBytes"] = "4096",
        });
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_world is not null)
        {
            await _world.DisposeAsync();
        }
    }

    [Fact]
    public async Task Handles_the_same_update_delivered_twice_once()
    {
        var chat = IngestUpdates.NewGroupId();
        var twice = IngestUpdates.NextUpdateId();
        var update = IngestUpdates.GroupMessage(twice, chat, 501, "hello twice");

        using (var first = await Gateway.Client.SendAsync(IngestUpdates.WebhookRequest(update, Secret)))
        using (var second = await Gateway.Client.SendAsync(IngestUpdates.WebhookRequest(update, Secret)))
        {
            first.StatusCode.Should().Be(HttpStatusCode.OK);
            second.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        // A later update of the same chat is handled after both copies (one chat is handled in order).
        var later = IngestUpdates.NextUpdateId();
        using (var third = await Gateway.Client.SendAsync(IngestUpdates.WebhookRequest(IngestUpdates.GroupMessage(later, chat, 501, "after"), Secret)))
        {
            third.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await Recorder.WaitUntilAsync(r => r.CountOf(later) == 1);
        // And a third delivery, after it was handled, is accepted (200) and recognised as handled by the consumer.
        using (var again = await Gateway.Client.SendAsync(IngestUpdates.WebhookRequest(update, Secret)))
        {
            again.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await Gateway.DisposeAsync();
        _gateway = null;
        await Recorder.DrainAsync();
        Recorder.CountOf(twice).Should().Be(1);
        Recorder.ChatOrder(chat).Should().Equal(twice, later);
    }

    [Fact]
    public async Task Rejects_a_wrong_secret_with_401()
    {
        var update = IngestUpdates.GroupMessage(IngestUpdates.NextUpdateId(), IngestUpdates.NewGroupId(), 502, "wrong secret");

        using var response = await Gateway.Client.SendAsync(IngestUpdates.WebhookRequest(update, Secret + "x"));

        await ShouldBeProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Rejects_a_missing_secret_with_401()
    {
        var update = IngestUpdates.GroupMessage(IngestUpdates.NextUpdateId(), IngestUpdates.NewGroupId(), 503, "no secret");

        using var response = await Gateway.Client.SendAsync(IngestUpdates.WebhookRequest(update, secret: null));

        await ShouldBeProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Rejects_a_body_over_the_cap_with_413_whether_declared_or_streamed()
    {
        var update = IngestUpdates.GroupMessage(IngestUpdates.NextUpdateId(), IngestUpdates.NewGroupId(), 504, new string('x', 5000));
        var body = Encoding.UTF8.GetBytes(update.ToJsonString());

        using var declared = await Gateway.Client.SendAsync(IngestUpdates.WebhookRequest(body, Secret));
        using var streamed = IngestUpdates.WebhookRequest([], Secret);
        streamed.Content = new StreamContent(new UnknownLengthStream(body));
        streamed.Content.Headers.ContentType = new("application/json");
        using var chunked = await Gateway.Client.SendAsync(streamed);

        await ShouldBeProblemAsync(declared, HttpStatusCode.RequestEntityTooLarge);
        await ShouldBeProblemAsync(chunked, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Rejects_malformed_json_with_a_400_problem()
    {
        using var truncated = await Gateway.Client.SendAsync(IngestUpdates.WebhookRequest("{\"update_id\": 5, \"mess"u8.ToArray(), Secret));
        using var notAnUpdate = await Gateway.Client.SendAsync(IngestUpdates.WebhookRequest("{\"hello\":\"world\"}"u8.ToArray(), Secret));
        using var wrongType = await Gateway.Client.SendAsync(IngestUpdates.WebhookRequest("{\"update_id\":\"five\"}"u8.ToArray(), Secret));

        await ShouldBeProblemAsync(truncated, HttpStatusCode.BadRequest);
        await ShouldBeProblemAsync(notAnUpdate, HttpStatusCode.BadRequest);
        await ShouldBeProblemAsync(wrongType, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Answers_a_body_that_breaks_off_with_a_400_problem_not_an_unhandled_exception()
    {
        // What Kestrel raises when a sender goes away mid-body (BadHttpRequestException "Unexpected end of request
        // content" is an IOException). A client cannot make a test server do that, so the endpoint is called as the
        // routing would call it.
        var update = IngestUpdates.GroupMessage(IngestUpdates.NextUpdateId(), IngestUpdates.NewGroupId(), 506, "cut short");
        var context = new DefaultHttpContext { RequestServices = Gateway.Services };
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = 200;
        context.Request.Headers["X-Telegram-Bot-Api-Secret-Token"] = Secret;
        context.Request.Body = new BreaksOffStream(Encoding.UTF8.GetBytes(update.ToJsonString())[..20]);

        var result = await TelegramWebhookApi.ReceiveAsync(context, ActivatorUtilities.CreateInstance<WebhookServices>(Gateway.Services));

        var problem = result.Result.Should().BeOfType<ProblemHttpResult>().Subject;
        problem.StatusCode.Should().Be(400, "a body that ends early is the sender's fault, answered like other bad input");
        problem.ProblemDetails.Detail.Should().Contain("could not be read to its end");
    }

    [Fact]
    public async Task Rejects_a_body_that_is_not_json_with_415()
    {
        var update = IngestUpdates.GroupMessage(IngestUpdates.NextUpdateId(), IngestUpdates.NewGroupId(), 505, "as text");

        using var response = await Gateway.Client.SendAsync(
            IngestUpdates.WebhookRequest(Encoding.UTF8.GetBytes(update.ToJsonString()), Secret, "text/plain"));

        await ShouldBeProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    internal static async Task ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("status").GetInt32().Should().Be((int)status);
        problem.RootElement.GetProperty("detail").GetString().Should().NotBeNullOrWhiteSpace();
    }

    // The start of a body, then the connection breaks, as Kestrel reports it.
    private sealed class BreaksOffStream(byte[] start) : MemoryStream(start)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            return read > 0 ? read : throw new IOException("Unexpected end of request content.");
        }
    }

    // A body whose length the client cannot tell, so it is sent chunked without Content-Length.
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
