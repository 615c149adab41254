namespace Atlas.Gateway.Telegram.Ingest;

/// <summary>Another copy of the update held its claim for longer than expected; the bus retries this copy later.</summary>
public sealed class UpdateBusyException : Exception
{
    public UpdateBusyException()
    {
    }

    public UpdateBusyException(string message) : base(message)
    {
    }

    public UpdateBusyException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public UpdateBusyException(long updateId) : base($"Update {updateId} is still being handled elsewhere.")
    {
        UpdateId = updateId;
    }

    public long UpdateId { get; }
}
