using Atlas.Gateway.Handling;
using Atlas.Gateway.Telegram.Api;

namespace Atlas.Gateway.Tests.Handling.Units;

/// <summary>Which handler failures go back for a retry (the update stays unhandled) and which are final.</summary>
public sealed class HandlerFailureKinds
{
    [Fact]
    public void A_bus_that_cannot_take_a_publish_is_retried_not_marked_done()
    {
        HandlerRunner.IsTransient(new MassTransit.TransportUnavailableException("stopping")).Should().BeTrue();
        HandlerRunner.IsTransient(new MassTransit.ConnectionException("broker gone")).Should().BeTrue();
    }

    [Fact]
    public void Telegram_server_errors_and_flood_waits_are_retried_but_bad_requests_are_final()
    {
        HandlerRunner.IsTransient(new TelegramApiException("sendMessage", 502, "Bad Gateway")).Should().BeTrue();
        HandlerRunner.IsTransient(new TelegramApiException("sendMessage", 429, "Too Many Requests: retry after 3", TimeSpan.FromSeconds(3))).Should().BeTrue();
        HandlerRunner.IsTransient(new TelegramApiException("sendMessage", 400, "Bad Request: chat not found")).Should().BeFalse();
        HandlerRunner.IsTransient(new InvalidOperationException("a bug")).Should().BeFalse();
    }
}
