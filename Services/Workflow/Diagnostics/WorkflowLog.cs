namespace Atlas.Workflow.Diagnostics;

/// <summary>The workflow service's repeated log lines. No token, secret or variable value is ever a placeholder.</summary>
internal static partial class WorkflowLog
{
    [LoggerMessage(1, LogLevel.Debug, "Camunda access token obtained; it expires in {ExpiresInSeconds:0} s")]
    public static partial void TokenObtained(ILogger logger, double expiresInSeconds);

    [LoggerMessage(2, LogLevel.Warning, "Camunda token request failed: {Reason}")]
    public static partial void TokenRequestFailed(ILogger logger, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Engine operation {Kind} {OperationId} parked: {Reason}")]
    public static partial void OperationParked(ILogger logger, string kind, string operationId, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Engine refused {Kind} {OperationId}: {Status} {Title}")]
    public static partial void OperationRejected(ILogger logger, string kind, string operationId, int status, string title);

    [LoggerMessage(5, LogLevel.Information, "Parked {Kind} {OperationId} applied after {Attempts} attempts")]
    public static partial void ParkedApplied(ILogger logger, string kind, string operationId, int attempts);

    [LoggerMessage(6, LogLevel.Error, "The parked-work loop failed; it tries again at the next interval")]
    public static partial void ParkedLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "Job activation for {JobType} failed, retrying in {DelayMs} ms: {Reason}")]
    public static partial void ActivationFailed(ILogger logger, string jobType, long delayMs, string reason);

    [LoggerMessage(8, LogLevel.Warning, "Job {JobType} {JobKey} failed, {RetriesLeft} retries left")]
    public static partial void JobFailed(ILogger logger, Exception exception, string jobType, string jobKey, int retriesLeft);

    [LoggerMessage(9, LogLevel.Information, "Job {JobType} {JobKey} raised BPMN error {ErrorCode}")]
    public static partial void JobBpmnError(ILogger logger, string jobType, string jobKey, string errorCode);

    [LoggerMessage(10, LogLevel.Information, "Deployed {Resource}: process {ProcessId} version {Version}")]
    public static partial void Deployed(ILogger logger, string resource, string processId, int version);

    [LoggerMessage(11, LogLevel.Warning, "Workflow start-up against Camunda incomplete ({Step}): {Reason}; it is tried again later")]
    public static partial void WarmUpIncomplete(ILogger logger, string step, string reason);

    [LoggerMessage(12, LogLevel.Warning, "Refreshing workflow gauges failed")]
    public static partial void GaugesFailed(ILogger logger, Exception exception);

    [LoggerMessage(13, LogLevel.Information, "Camunda:Auth changed; the cached access token is dropped and the next call asks with the new credentials")]
    public static partial void TokenCredentialsChanged(ILogger logger);

    [LoggerMessage(14, LogLevel.Information, "Process start {OperationId} withdrawn before it reached Camunda: {Reason}")]
    public static partial void StartWithdrawn(ILogger logger, string operationId, string reason);
}
