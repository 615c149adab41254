using System.Collections.Concurrent;

namespace Atlas.Workflow.Processes;

/// <summary>
/// The BPMN processes shipped in this assembly (Processes/Bpmn) and the definition cache filled at start: process id
/// to the deployed definition key and version.
/// </summary>
internal sealed class ProcessCatalog
{
    public const string Onboarding = "atlas-onboarding";
    public const string AppealReview = "atlas-appeal-review";

    private const string Prefix = "Atlas.Workflow.Processes.Bpmn.";
    private readonly ConcurrentDictionary<string, DeployedDefinition> _deployed = new(StringComparer.Ordinal);

    public IReadOnlyList<string> KnownIds { get; } = [Onboarding, AppealReview];

    /// <summary>The shipped BPMN files: resource name and bytes.</summary>
    public static IReadOnlyList<(string Name, byte[] Content)> Resources()
    {
        var assembly = typeof(ProcessCatalog).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                return (n[Prefix.Length..], buffer.ToArray());
            })];
    }

    public void Remember(string processId, string key, int version) => _deployed[processId] = new DeployedDefinition(processId, key, version);

    public DeployedDefinition? Deployed(string processId) => _deployed.GetValueOrDefault(processId);

    public bool IsWarm => KnownIds.All(_deployed.ContainsKey);
}

/// <summary>A process definition as deployed on the engine.</summary>
internal sealed record DeployedDefinition(string ProcessId, string Key, int Version);
