using System.Text.Json;
using Atlas.AppHost.Hosting;

namespace Atlas.AppHost.Ops;

/// <summary>
/// How an ops verb reaches the running stack: the services' HTTP endpoints, their ops keys and how Telegram is
/// reached. The running AppHost writes it to <see cref="FileName"/> in its data folder (mode 600: it holds the keys)
/// once every service is healthy, and removes it when it stops. Never printed.
/// </summary>
internal sealed record StackDiscovery
{
    public const string FileName = "ops-discovery.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The AppHost's process id: a file left by a killed AppHost is recognised as stale.</summary>
    public required int ProcessId { get; init; }

    public required Uri Gateway { get; init; }

    public required Uri Backup { get; init; }

    public required Uri LlmRouter { get; init; }

    public required Uri Workflow { get; init; }

    /// <summary>Moderation (for <c>audit export</c>); null in a file written before it was added.</summary>
    public Uri? Moderation { get; init; }

    public string? ModerationOpsKey { get; init; }

    /// <summary>The Sandbox when it stands in for Telegram; null against the real Telegram.</summary>
    public Uri? Sandbox { get; init; }

    public required string GatewayAdminKey { get; init; }

    public required string BackupOpsKey { get; init; }

    public required string LlmRouterAdminKey { get; init; }

    public required string WorkflowOpsKey { get; init; }

    /// <summary>The Sandbox bot's token (the Sandbox's user-side API is per bot); null against the real Telegram.</summary>
    public string? SandboxBotToken { get; init; }

    /// <summary>Against the real Telegram: the gateway's webhook secret, with which the smoke test hands it updates.</summary>
    public string? WebhookSecret { get; init; }

    /// <summary>The Telegram user the smoke test writes as (a gateway admin, so it passes a freeze); against the real Telegram, the ops chat. Null when none is configured (no smoke test then).</summary>
    public long? SmokeUserId { get; init; }

    public static string PathIn(string dataRoot) => System.IO.Path.Combine(dataRoot, FileName);

    public async Task WriteAsync(string dataRoot, CancellationToken cancellationToken)
    {
        var path = PathIn(dataRoot);
        var partial = path + ".tmp";
        // Private before the keys are written, then moved into place whole: a reader never sees half a file.
        await File.WriteAllTextAsync(partial, "", cancellationToken).ConfigureAwait(false);
        PrivateFile.Restrict(partial);
        await File.WriteAllTextAsync(partial, JsonSerializer.Serialize(this, Json), cancellationToken).ConfigureAwait(false);
        File.Move(partial, path, overwrite: true);
    }

    /// <summary>The running stack's discovery, or null (with the reason) when no AppHost runs on <paramref name="dataRoot"/>.</summary>
    public static StackDiscovery? Read(string dataRoot, out string reason)
    {
        var path = PathIn(dataRoot);
        if (!File.Exists(path))
        {
            reason = $"no running Atlas stack on {dataRoot} (no {FileName}: the AppHost writes it once every service is healthy)";
            return null;
        }

        StackDiscovery? discovery;
        try
        {
            discovery = JsonSerializer.Deserialize<StackDiscovery>(File.ReadAllText(path), Json);
        }
        catch (JsonException exception)
        {
            reason = $"{path} is unreadable ({exception.Message})";
            return null;
        }

        if (discovery is null || !Posix.IsAlive(discovery.ProcessId))
        {
            reason = $"{path} was left by an AppHost that no longer runs";
            return null;
        }

        reason = "";
        return discovery;
    }

    public static void Remove(string dataRoot) => File.Delete(PathIn(dataRoot));
}
