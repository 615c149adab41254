namespace Atlas.Gateway.Handling;

/// <summary>The failures that mean "the broker could not be reached", however MassTransit or the client wrapped them.</summary>
public static class BrokerFailures
{
    /// <summary>
    /// MassTransit's transport and connection failures, and the RabbitMQ client's own: a channel closed under a
    /// publish waiting for its confirm (AlreadyClosedException, while the broker restarts) or no broker at all; and a
    /// publish that got no confirm in time (<see cref="Telegram.Ingest.BusUnavailableException"/>).
    /// </summary>
    public static bool IsBrokerUnavailable(Exception? exception) => exception switch
    {
        null => false,
        MassTransit.TransportUnavailableException or MassTransit.ConnectionException or MassTransit.TransportException => true,
        RabbitMQ.Client.Exceptions.OperationInterruptedException or RabbitMQ.Client.Exceptions.BrokerUnreachableException => true,
        Telegram.Ingest.BusUnavailableException => true,
        _ => IsBrokerUnavailable(exception.InnerException),
    };
}
