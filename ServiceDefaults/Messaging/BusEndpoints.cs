namespace Atlas.ServiceDefaults.Messaging;

/// <summary>
/// Queue names follow one rule: <c>&lt;service&gt;-&lt;consumer in kebab case&gt;</c>, so two services that consume the
/// same event each get their own queue. This helper names another service's endpoint for direct sends.
/// </summary>
public static class BusEndpoints
{
    /// <summary>The address of a service's <see cref="PingConsumer"/> queue, e.g. <c>queue:gateway-ping</c>.</summary>
    public static Uri Ping(string service) => new($"queue:{service}-ping");
}
