using Atlas.Workflow.Camunda;
using Npgsql;

namespace Atlas.Workflow.Jobs;

/// <summary>
/// <c>atlas.record-consent</c>: stores the member's answer (<c>userId</c>, <c>consent</c>) in <c>consents</c>
/// (an upsert, so a retry is harmless). A declined consent is recorded and then raised as the BPMN error
/// <c>consent-declined</c>, which the onboarding process catches.
/// </summary>
internal sealed class RecordConsentJob(NpgsqlDataSource dataSource) : IJobHandler
{
    public string JobType => "atlas.record-consent";

    public async Task<JobResult> HandleAsync(ActivatedJob job, CancellationToken cancellationToken)
    {
        var userId = JobVariables.Long(job, "userId");
        var consent = JobVariables.Bool(job, "consent");
        if (userId is null || consent is null)
        {
            return JobResult.BpmnError("consent-declined", "The answer has no userId or consent; it counts as declined.");
        }

        await using var command = dataSource.CreateCommand("""
            INSERT INTO consents (user_id, consented, process_instance_key) VALUES ($1, $2, $3)
            ON CONFLICT (user_id) DO UPDATE SET consented = EXCLUDED.consented, process_instance_key = EXCLUDED.process_instance_key, recorded_at = now()
            """);
        command.Parameters.AddWithValue(userId.Value);
        command.Parameters.AddWithValue(consent.Value);
        command.Parameters.AddWithValue(job.ProcessInstanceKey);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return consent.Value
            ? JobResult.Complete(new() { ["consentRecorded"] = true })
            : JobResult.BpmnError("consent-declined", "The member declined.");
    }
}
