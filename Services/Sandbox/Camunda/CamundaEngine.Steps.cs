using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Camunda;

/// <summary>How an instance moves from step to step, and the user tasks, jobs and messages that move it.</summary>
internal sealed partial class CamundaEngine
{
    public IReadOnlyList<TaskRecord> Tasks()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            return [.. _tasks.Values.Where(t => t.VisibleAt <= now)];
        }
    }

    public TaskRecord Task(string key)
    {
        lock (_gate)
        {
            return FindTaskLocked(key);
        }
    }

    public void Assign(string key, string? assignee, bool allowOverride)
    {
        lock (_gate)
        {
            var task = FindTaskLocked(key);
            if (task.State != "CREATED")
            {
                throw CamundaProblem.NotFound($"Command 'ASSIGN' rejected with code 'NOT_FOUND': Expected to assign user task with key '{key}', but no such user task was found");
            }

            if (assignee is not null && task.Assignee is not null && task.Assignee != assignee && !allowOverride)
            {
                throw CamundaProblem.InvalidState($"Command 'CLAIM' rejected with code 'INVALID_STATE': Expected to claim user task with key '{key}', but it has already been assigned");
            }

            task.Assignee = assignee;
            task.VisibleAt = time.GetUtcNow() + SearchLag;
        }
    }

    public void CompleteTask(string key, JsonObject? variables)
    {
        lock (_gate)
        {
            var task = FindTaskLocked(key);
            if (task.State != "CREATED")
            {
                throw CamundaProblem.NotFound($"Command 'COMPLETE' rejected with code 'NOT_FOUND': Expected to complete user task with key '{key}', but no such user task was found");
            }

            task.State = "COMPLETED";
            task.CompletionDate = time.GetUtcNow();
            task.VisibleAt = task.CompletionDate.Value + SearchLag;
            MergeLocked(task.Instance, variables);
            AdvanceLocked(task.Instance);
        }
    }

    /// <summary>Activatable jobs of <paramref name="type"/>, at most <paramref name="max"/>, locked for <paramref name="timeout"/>.</summary>
    public IReadOnlyList<JobRecord> Activate(string type, string? worker, int max, TimeSpan timeout)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var ready = _jobs.Values
                .Where(j => j.Type == type && ((j.State == "activatable" && j.AvailableAt <= now) || (j.State == "activated" && j.Deadline <= now)))
                .Take(max)
                .ToList();
            foreach (var job in ready)
            {
                job.State = "activated";
                job.Worker = worker;
                job.Deadline = now + timeout;
                job.Activations++;
            }

            return ready;
        }
    }

    /// <summary>When the earliest job waiting out a retry back-off or an activation deadline becomes activatable.</summary>
    public DateTimeOffset? NextJobDue(string type)
    {
        lock (_gate)
        {
            var due = _jobs.Values
                .Where(j => j.Type == type && j.State is "activatable" or "activated")
                .Select(j => j.State == "activated" ? j.Deadline : j.AvailableAt)
                .DefaultIfEmpty(DateTimeOffset.MaxValue)
                .Min();
            return due == DateTimeOffset.MaxValue ? null : due;
        }
    }

    public void CompleteJob(string key, JsonObject? variables)
    {
        lock (_gate)
        {
            var job = FindActiveJobLocked(key, "complete");
            job.State = "completed";
            MergeLocked(job.Instance, variables);
            AdvanceLocked(job.Instance);
        }
    }

    public void FailJob(string key, int retries, string? message, TimeSpan backOff, JsonObject? variables)
    {
        lock (_gate)
        {
            var job = FindActiveJobLocked(key, "fail");
            job.Retries = retries;
            job.ErrorMessage = message;
            MergeLocked(job.Instance, variables);
            if (retries > 0)
            {
                job.State = "activatable";
                job.AvailableAt = time.GetUtcNow() + backOff;
                SignalJobsLocked();
            }
            else
            {
                job.State = "failed";
                job.Instance.HasIncident = true;
                job.Instance.IncidentMessage = message ?? "No more retries left.";
            }
        }
    }

    public void ThrowError(string key, string errorCode, string? message, JsonObject? variables)
    {
        lock (_gate)
        {
            var job = FindActiveJobLocked(key, "throw an error for");
            job.State = "errored";
            job.ErrorMessage = message;
            MergeLocked(job.Instance, variables);
            if (job.CatchErrors.Contains(errorCode))
            {
                job.Instance.CaughtErrors.Add(errorCode);
                EndLocked(job.Instance, "COMPLETED");
            }
            else
            {
                job.Instance.HasIncident = true;
                job.Instance.IncidentMessage = $"An error was thrown with the code '{errorCode}' but not caught.";
            }
        }
    }

    public IReadOnlyList<JobRecord> Jobs()
    {
        lock (_gate)
        {
            return [.. _jobs.Values];
        }
    }

    /// <summary>Correlates to an instance waiting for <paramref name="name"/>; null when none waits.</summary>
    public InstanceRecord? Correlate(string name, string? correlationKey, JsonObject? variables)
    {
        lock (_gate)
        {
            var waiting = _instances.Values.FirstOrDefault(i => i.State == "ACTIVE" && i.WaitingMessage == name && i.WaitingCorrelationKey == (correlationKey ?? ""));
            if (waiting is null)
            {
                return null;
            }

            waiting.WaitingMessage = null;
            waiting.WaitingCorrelationKey = null;
            MergeLocked(waiting, variables);
            AdvanceLocked(waiting);
            return waiting;
        }
    }

    /// <summary>Publishes a message: a repeated <paramref name="messageId"/> gets the first publication's key and does nothing.</summary>
    public string Publish(string name, string? correlationKey, string? messageId, JsonObject? variables)
    {
        lock (_gate)
        {
            if (messageId is not null && _messageIds.TryGetValue(messageId, out var known))
            {
                return known;
            }

            var key = NextKey();
            if (messageId is not null)
            {
                _messageIds[messageId] = key;
            }

            Correlate(name, correlationKey, variables);
            return key;
        }
    }

    private void AdvanceLocked(InstanceRecord instance)
    {
        var steps = _processes.TryGetValue(instance.Definition.ProcessDefinitionId, out var process) ? process.Steps : [];
        instance.StepIndex++;
        instance.VisibleAt = time.GetUtcNow() + SearchLag;
        if (instance.StepIndex >= steps.Count)
        {
            EndLocked(instance, "COMPLETED");
            return;
        }

        var step = steps[instance.StepIndex];
        var now = time.GetUtcNow();
        switch (step.Kind)
        {
            case "userTask":
                var task = new TaskRecord
                {
                    Key = NextKey(), Instance = instance, ElementId = step.ElementId, ElementInstanceKey = NextKey(),
                    Name = step.Name ?? step.ElementId, CandidateGroups = [.. step.CandidateGroups], CreationDate = now, VisibleAt = now + SearchLag,
                };
                _tasks[task.Key] = task;
                break;
            case "message":
                instance.WaitingMessage = step.Name;
                instance.WaitingCorrelationKey = step.CorrelationVariable is { } variable && instance.Variables[variable] is { } value
                    ? value.ToString() : "";
                break;
            default:
                var job = new JobRecord
                {
                    Key = NextKey(), Instance = instance, Type = step.Type ?? step.ElementId, ElementId = step.ElementId,
                    ElementInstanceKey = NextKey(), Retries = step.Retries, CatchErrors = [.. step.CatchErrors], Inputs = step.Inputs, AvailableAt = now,
                };
                _jobs[job.Key] = job;
                SignalJobsLocked();
                break;
        }
    }

    private void EndLocked(InstanceRecord instance, string state)
    {
        instance.State = state;
        instance.EndDate = time.GetUtcNow();
        instance.VisibleAt = instance.EndDate.Value + SearchLag;
        foreach (var task in _tasks.Values.Where(t => t.Instance == instance && t.State == "CREATED"))
        {
            task.State = "CANCELED";
        }

        foreach (var job in _jobs.Values.Where(j => j.Instance == instance && j.State is "activatable" or "activated"))
        {
            job.State = "canceled";
        }
    }

    private static void MergeLocked(InstanceRecord instance, JsonObject? variables)
    {
        foreach (var (name, value) in variables ?? [])
        {
            instance.Variables[name] = value?.DeepClone();
        }
    }

    private TaskRecord FindTaskLocked(string key) =>
        _tasks.GetValueOrDefault(key) ?? throw CamundaProblem.NotFound($"User task with key '{key}' not found");

    private JobRecord FindActiveJobLocked(string key, string verb)
    {
        if (!_jobs.TryGetValue(key, out var job) || job.State != "activated")
        {
            throw CamundaProblem.NotFound($"Expected to {verb} job with key '{key}', but no such job was found");
        }

        return job;
    }
}
