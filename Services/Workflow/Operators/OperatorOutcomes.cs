using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Atlas.Contracts.Workflow;
using Atlas.Workflow.Engine;
using Atlas.Workflow.Processes;

namespace Atlas.Workflow.Operators;

/// <summary>How the bot's operator requests read engine outcomes and typed variables, in one place.</summary>
internal static class OperatorOutcomes
{
    /// <summary>
    /// The outcome as the gateway words it: a 404 from the engine is "not found", variables that do not fit the task's
    /// form "invalid", any other refusal "refused".
    /// </summary>
    public static WorkflowOutcome From(OperationOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Status switch
        {
            OperationStatus.Applied => WorkflowOutcome.Applied,
            OperationStatus.AlreadyApplied => WorkflowOutcome.AlreadyApplied,
            OperationStatus.Parked => WorkflowOutcome.Parked,
            OperationStatus.Rejected when outcome.ProblemStatus == 404 => WorkflowOutcome.NotFound,
            OperationStatus.Rejected when outcome.ProblemTitle == CompletionForms.InvalidVariables => WorkflowOutcome.Invalid,
            _ => WorkflowOutcome.Refused,
        };
    }

    /// <summary>
    /// Variables as an operator typed them: JSON values (numbers, <c>true</c>/<c>false</c>, <c>null</c>, quoted strings,
    /// objects, arrays) are taken as such, anything else is text, so <c>decision=lift</c> is the string "lift".
    /// </summary>
    public static JsonObject Variables(IReadOnlyDictionary<string, string>? typed)
    {
        var variables = new JsonObject();
        foreach (var (name, text) in typed ?? new Dictionary<string, string>())
        {
            variables[name] = ValueOf(text);
        }

        return variables;
    }

    private static JsonNode? ValueOf(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return JsonValue.Create("");
        }

        // A leading zero ("007") or plus sign is an identifier, not a number.
        var numeric = char.IsAsciiDigit(trimmed[0]) || trimmed[0] == '-';
        var looksJson = trimmed is "true" or "false" or "null" || trimmed[0] is '"' or '{' or '[' ||
            (numeric && decimal.TryParse(trimmed, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _)
                && !(trimmed.Length > 1 && trimmed[0] == '0' && trimmed[1] != '.'));
        if (looksJson)
        {
            try
            {
                return JsonNode.Parse(trimmed);
            }
            catch (JsonException)
            {
                // Not valid JSON after all: keep the text.
            }
        }

        return JsonValue.Create(trimmed);
    }
}
