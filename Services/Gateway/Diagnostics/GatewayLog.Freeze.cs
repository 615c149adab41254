using Atlas.Gateway.Admin;
using Microsoft.Extensions.Logging;

namespace Atlas.Gateway.Diagnostics;

/// <summary>Log lines of the freeze's hold and replay (event ids 2100-2119). User text never appears here.</summary>
static partial class GatewayLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Update {UpdateId} from user {UserId} held ({Phase})")]
    public static partial void UpdateHeld(ILogger logger, long updateId, long? userId, FreezePhase phase);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Replaying {Count} held updates")]
    public static partial void ReplayStarted(ILogger logger, long count);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "Held update {UpdateId} replayed")]
    public static partial void UpdateReplayed(ILogger logger, long updateId);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Replay of held update {UpdateId} failed (attempt {Attempt}); its chat waits for the next round")]
    public static partial void ReplayFailed(ILogger logger, Exception exception, long updateId, int attempt);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Error, Message = "Held update {UpdateId} given up after {Attempts} failed replays: {Reason}")]
    public static partial void ReplayGivenUp(ILogger logger, long updateId, int attempts, string reason);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Information, Message = "The hold is empty: inbound is running again")]
    public static partial void DrainFinished(ILogger logger);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "The held-update replayer could not work this round ({Reason}); it tries again")]
    public static partial void ReplayRoundFailed(ILogger logger, Exception exception, string reason);
}
