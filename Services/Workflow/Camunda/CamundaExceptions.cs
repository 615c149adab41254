namespace Atlas.Workflow.Camunda;

/// <summary>The engine answered with an error (RFC 9457 problem details): its status, title and detail.</summary>
public sealed class CamundaProblemException(int status, string title, string detail)
    : Exception($"Camunda answered {status} {title}: {detail}")
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public string Detail { get; } = detail;
}

/// <summary>
/// The engine could not be reached or could not take the request now (connection failure, timeout, 5xx, 429, or
/// credentials it rejected). Work failing with this is parked and retried.
/// </summary>
public class EngineUnavailableException(string reason, Exception? inner = null) : Exception(reason, inner)
{
    public string Reason { get; } = reason;
}

/// <summary>No access token could be obtained: the token endpoint is down, slow, backed off or refused the client.</summary>
public sealed class TokenEndpointUnavailableException(string reason, Exception? inner = null) : EngineUnavailableException(reason, inner);
