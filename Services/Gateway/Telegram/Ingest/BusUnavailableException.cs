namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>An update could not be put on the bus; the receiver keeps it (webhook answers 503, the poller retries).</summary>
public sealed class BusUnavailableException : Exception
{
    public BusUnavailableException()
    {
    }

    public BusUnavailableException(string message) : base(message)
    {
    }

    public BusUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
