using System.Net;
using Atlas.Gateway.Handling;
using Atlas.Gateway.Telegram.Client;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;

namespace Atlas.Gateway.Tests.Handling.Units;

/// <summary>Which handler failures go back for a retry (the update stays unhandled) and which are final.</summary>
public sealed class HandlerFailureKinds
{
    [Fact]
    public void A_bus_that_cannot_take_a_publish_is_retried_not_marked_done()
    {
        HandlerRunner.IsTransient(new MassTransit.TransportUnavailableException("stopping")).Should().BeTrue();
        HandlerRunner.IsTransient(new MassTransit.ConnectionException("broker gone")).Should().BeTrue();
        // What a publish waiting for its confirm gets when the broker restarts under it.
        var closed = new RabbitMQ.Client.Exceptions.AlreadyClosedException(new RabbitMQ.Client.Events.ShutdownEventArgs(
            RabbitMQ.Client.ShutdownInitiator.Peer, 320, "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'",
            (object?)null, CancellationToken.None));
        HandlerRunner.IsTransient(closed).Should().BeTrue();
        BrokerFailures.IsBrokerUnavailable(new InvalidOperationException("wrapped", closed)).Should().BeTrue();
        BrokerFailures.IsBrokerUnavailable(new InvalidOperationException("a bug")).Should().BeFalse();
    }

    [Fact]
    public void Telegram_server_errors_and_flood_waits_are_retried_but_bad_requests_are_final()
    {
        HandlerRunner.IsTransient(new ApiRequestException("Bad Gateway", 502)).Should().BeTrue();
        HandlerRunner.IsTransient(new ApiRequestException("Too Many Requests: retry after 3", 429, new ResponseParameters { RetryAfter = 3 })).Should().BeTrue();
        HandlerRunner.IsTransient(new ApiRequestException("Bad Request: chat not found", 400)).Should().BeFalse();
        HandlerRunner.IsTransient(new InvalidOperationException("a bug")).Should().BeFalse();
    }

    [Fact]
    public void A_call_without_a_Bot_API_answer_is_retried_unless_the_HTTP_status_says_the_address_is_wrong()
    {
        HandlerRunner.IsTransient(new RequestException("Request timed out", HttpStatusCode.RequestTimeout)).Should().BeTrue();
        HandlerRunner.IsTransient(new RequestException("Exception during making request", new HttpRequestException("refused"))).Should().BeTrue();
        HandlerRunner.IsTransient(new RequestException("Required properties not found in response", HttpStatusCode.BadGateway)).Should().BeTrue();
        new RequestException("Required properties not found in response", HttpStatusCode.NotFound).IsTransientTelegramFailure().Should().BeFalse();
    }

    [Fact]
    public void Telegram_errors_are_read_from_Telegram_Bot_exceptions_in_one_place()
    {
        var flood = new ApiRequestException("Too Many Requests: retry after 7", 429, new ResponseParameters { RetryAfter = 7 });
        var migrated = new ApiRequestException("Bad Request: group chat was upgraded to a supergroup chat", 400, new ResponseParameters { MigrateToChatId = -1001234567890 });
        var blocked = new ApiRequestException("Forbidden: bot was blocked by the user", 403);
        var wrongToken = new ApiRequestException("Unauthorized", 401);

        flood.IsFloodWait().Should().BeTrue();
        flood.RetryAfter().Should().Be(TimeSpan.FromSeconds(7));
        flood.WaitBeforeRetry().Should().Be(TimeSpan.FromSeconds(7) + TelegramErrors.FloodWaitMargin);
        migrated.MigrateToChatId().Should().Be(-1001234567890);
        migrated.IsRefusal().Should().BeTrue();
        blocked.IsRefusal().Should().BeTrue();
        blocked.Describe().Should().Be("403 Forbidden: bot was blocked by the user");
        wrongToken.IsRefusal().Should().BeFalse("a wrong token affects the whole bot and is retried until fixed");
        wrongToken.IsTransientTelegramFailure().Should().BeFalse();
        new ApiRequestException("Conflict: terminated by other getUpdates request", 409).IsConflict().Should().BeTrue();
    }
}
