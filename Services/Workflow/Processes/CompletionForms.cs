using System.Text.Json;
using System.Text.Json.Nodes;
using Atlas.Contracts.Workflow;
using Atlas.Workflow.Camunda;

namespace Atlas.Workflow.Processes;

/// <summary>
/// The variables the user tasks of Atlas's own processes must be completed with. Completing "Review appeal" without a
/// decision, or with one the next job does not know, would end the review through its error path with nothing done
/// and nobody told; such a completion is refused before it reaches the engine, so the task stays open and the
/// operator is told what it needs. Tasks of other processes have no form here and take any variables.
/// </summary>
internal static class CompletionForms
{
    /// <summary>The title of the refusal (problem details over HTTP; <see cref="WorkflowOutcome.Invalid"/> on the bus).</summary>
    public const string InvalidVariables = "INVALID_VARIABLES";

    private static readonly Dictionary<(string Process, string Element), Field[]> Forms = new()
    {
        [(ProcessCatalog.AppealReview, "review-appeal")] = [new("decision", [AppealReviewed.Uphold, AppealReviewed.Lift])],
    };

    /// <summary>Why <paramref name="variables"/> do not complete <paramref name="task"/>; null when they do.</summary>
    public static string? Check(UserTaskResult task, JsonObject? variables)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.ElementId is null || !Forms.TryGetValue((task.ProcessDefinitionId, task.ElementId), out var fields))
        {
            return null;
        }

        var problems = fields.Select(field => field.Check(variables?[field.Name])).OfType<string>().ToList();
        return problems.Count == 0 ? null : $"'{task.Name}' needs {string.Join("; ", problems)}.";
    }

    private sealed record Field(string Name, string[] Allowed)
    {
        public string? Check(JsonNode? value)
        {
            var text = value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value?.ToJsonString();
            var expected = $"{Name} = {string.Join(" or ", Allowed)}";
            return text is null ? $"{expected} (no {Name} was given)"
                : Allowed.Contains(text, StringComparer.Ordinal) ? null
                : $"{expected}, not '{text}'";
        }
    }
}
