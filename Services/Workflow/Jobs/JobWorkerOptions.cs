using System.ComponentModel.DataAnnotations;

namespace Atlas.Workflow.Jobs;

/// <summary><c>Workflow:Jobs</c>: how the job workers activate and retry.</summary>
public sealed class JobWorkerOptions
{
    public const string Section = "Workflow:Jobs";

    public bool Enabled { get; init; } = true;

    /// <summary>The worker name Camunda records on activated jobs.</summary>
    [Required]
    public string WorkerName { get; init; } = "atlas-workflow";

    /// <summary>Jobs of one type handled at once; activation asks for no more than the free slots.</summary>
    [Range(1, 256)]
    public int MaxConcurrency { get; init; } = 8;

    /// <summary>How long one activation request waits for jobs (Camunda's long poll, requestTimeout).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan LongPoll { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an activated job stays locked to this worker (Camunda's job timeout).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan JobTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Back-off before a failed job is retried; doubles per used retry up to <see cref="MaxRetryBackoff"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxRetryBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The pause after a failed activation (engine down); doubles up to 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan ActivationBackoff { get; init; } = TimeSpan.FromSeconds(1);
}
