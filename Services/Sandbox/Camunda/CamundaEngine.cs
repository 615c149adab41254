using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Atlas.Sandbox.Camunda;

/// <summary>
/// The stand-in's in-memory engine: deployed definitions, instances advancing through their configured steps, user
/// tasks, jobs and message waits. Keys are decimal strings like Zeebe's. One lock guards everything.
/// </summary>
internal sealed partial class CamundaEngine(IOptions<CamundaSandboxOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SandboxProcess> _processes = Merge(options.Value.Processes);
    private readonly Dictionary<string, DefinitionRecord> _definitions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, InstanceRecord> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskRecord> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JobRecord> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _messageIds = new(StringComparer.Ordinal);
    private long _nextKey = 2251799813685249;
    private TaskCompletionSource _jobsChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TimeSpan SearchLag { get; set; } = options.Value.SearchLag;

    /// <summary>Completes when a job may have become activatable.</summary>
    public Task JobsChanged { get { lock (_gate) { return _jobsChanged.Task; } } }

    public void Configure(string processId, SandboxProcess process, string resourceName)
    {
        lock (_gate)
        {
            _processes[processId] = process;
            DeployLocked(processId, process.Name ?? processId, resourceName);
        }
    }

    public IReadOnlyList<DefinitionRecord> Deploy(IEnumerable<(string Name, string Content)> resources)
    {
        var deployed = new List<DefinitionRecord>();
        lock (_gate)
        {
            foreach (var (name, content) in resources)
            {
                var ids = ProcessIds().Matches(content).Select(m => m.Groups["id"].Value).ToList();
                if (ids.Count == 0)
                {
                    throw CamundaProblem.InvalidArgument($"Expected to deploy a BPMN resource, but '{name}' contains no process element.");
                }

                // Like Zeebe, a resource identical to the one its process was last deployed from (same name, same
                // checksum) is a duplicate: the latest definition is answered again and no new version is made.
                var checksum = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
                foreach (var id in ids)
                {
                    if (_definitions.TryGetValue(id, out var latest) && latest.ResourceName == name && latest.Checksum == checksum)
                    {
                        deployed.Add(latest);
                        continue;
                    }

                    var title = ProcessNames().Match(content) is { Success: true } m ? m.Groups["name"].Value : id;
                    deployed.Add(DeployLocked(id, title, name, checksum));
                }
            }
        }

        return deployed;
    }

    public IReadOnlyList<DefinitionRecord> Definitions()
    {
        lock (_gate)
        {
            return [.. _definitions.Values];
        }
    }

    public InstanceRecord Start(string processDefinitionId, JsonObject? variables, string? businessId)
    {
        lock (_gate)
        {
            if (!_definitions.TryGetValue(processDefinitionId, out var definition))
            {
                throw CamundaProblem.NotFound($"Expected to find process definition with process ID '{processDefinitionId}', but none found");
            }

            if (businessId is not null && _instances.Values.Any(i => i.State == "ACTIVE" && i.BusinessId == businessId && i.Definition.ProcessDefinitionId == processDefinitionId))
            {
                throw CamundaProblem.InvalidState($"A process instance of '{processDefinitionId}' with business id '{businessId}' is already active");
            }

            var now = time.GetUtcNow();
            var instance = new InstanceRecord
            {
                Key = NextKey(),
                Definition = definition,
                BusinessId = businessId,
                Variables = variables?.DeepClone().AsObject() ?? [],
                StartDate = now,
                VisibleAt = now + SearchLag,
            };
            _instances[instance.Key] = instance;
            AdvanceLocked(instance);
            return instance;
        }
    }

    public void Cancel(string instanceKey)
    {
        lock (_gate)
        {
            var instance = FindInstanceLocked(instanceKey);
            if (instance.State != "ACTIVE")
            {
                throw CamundaProblem.NotFound($"Expected to cancel a process instance with key '{instanceKey}', but no such process was found");
            }

            EndLocked(instance, "TERMINATED");
        }
    }

    public IReadOnlyList<InstanceRecord> Instances()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            return [.. _instances.Values.Where(i => i.VisibleAt <= now)];
        }
    }

    public InstanceRecord? Instance(string key)
    {
        lock (_gate)
        {
            return _instances.GetValueOrDefault(key);
        }
    }

    private static Dictionary<string, SandboxProcess> Merge(Dictionary<string, SandboxProcess> configured)
    {
        var all = SandboxProcesses.Defaults();
        foreach (var (id, process) in configured)
        {
            all[id] = process;
        }

        return all;
    }

    private DefinitionRecord DeployLocked(string id, string name, string resourceName, string? checksum = null)
    {
        var version = _definitions.TryGetValue(id, out var previous) ? previous.Version + 1 : 1;
        var definition = new DefinitionRecord(id, NextKey(), version, name, resourceName, checksum);
        _definitions[id] = definition;
        return definition;
    }

    private string NextKey() => (_nextKey++).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private InstanceRecord FindInstanceLocked(string key) =>
        _instances.GetValueOrDefault(key) ?? throw CamundaProblem.NotFound($"Expected to find a process instance with key '{key}', but none was found");

    private void SignalJobsLocked()
    {
        _jobsChanged.TrySetResult();
        _jobsChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [GeneratedRegex("<(?:\\w+:)?process\\b[^>]*?\\sid=\"(?<id>[^\"]+)\"")]
    private static partial Regex ProcessIds();

    [GeneratedRegex("<(?:\\w+:)?process\\b[^>]*?\\sname=\"(?<name>[^\"]+)\"")]
    private static partial Regex ProcessNames();
}
