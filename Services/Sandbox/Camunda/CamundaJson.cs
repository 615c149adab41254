using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Atlas.Sandbox.Camunda;

/// <summary>The v2 API's response shapes (string keys, ISO dates, page envelopes, problem details).</summary>
internal static class CamundaJson
{
    public const string TenantId = "<default>";

    public static IResult Problem(HttpContext http, int status, string title, string detail) => Results.Json(
        new JsonObject { ["type"] = "about:blank", ["title"] = title, ["status"] = status, ["detail"] = detail, ["instance"] = http.Request.Path.Value },
        statusCode: status,
        contentType: "application/problem+json");

    public static JsonObject Instance(InstanceRecord i) => new()
    {
        ["processDefinitionId"] = i.Definition.ProcessDefinitionId,
        ["processDefinitionName"] = i.Definition.Name,
        ["processDefinitionVersion"] = i.Definition.Version,
        ["processDefinitionVersionTag"] = null,
        ["startDate"] = Date(i.StartDate),
        ["endDate"] = Date(i.EndDate),
        ["state"] = i.State,
        ["hasIncident"] = i.HasIncident,
        ["tenantId"] = TenantId,
        ["processInstanceKey"] = i.Key,
        ["processDefinitionKey"] = i.Definition.Key,
        ["parentProcessInstanceKey"] = null,
        ["parentElementInstanceKey"] = null,
        ["rootProcessInstanceKey"] = i.Key,
        ["tags"] = new JsonArray(),
        ["businessId"] = i.BusinessId,
    };

    public static JsonObject Created(InstanceRecord i) => new()
    {
        ["processDefinitionId"] = i.Definition.ProcessDefinitionId,
        ["processDefinitionVersion"] = i.Definition.Version,
        ["tenantId"] = TenantId,
        ["variables"] = new JsonObject(),
        ["processDefinitionKey"] = i.Definition.Key,
        ["processInstanceKey"] = i.Key,
        ["tags"] = new JsonArray(),
        ["businessId"] = i.BusinessId,
    };

    public static JsonObject Task(TaskRecord t) => new()
    {
        ["tenantId"] = TenantId,
        ["userTaskKey"] = t.Key,
        ["name"] = t.Name,
        ["processInstanceKey"] = t.Instance.Key,
        ["rootProcessInstanceKey"] = t.Instance.Key,
        ["processDefinitionKey"] = t.Instance.Definition.Key,
        ["elementInstanceKey"] = t.ElementInstanceKey,
        ["processDefinitionId"] = t.Instance.Definition.ProcessDefinitionId,
        ["processName"] = t.Instance.Definition.Name,
        ["state"] = t.State,
        ["candidateGroups"] = new JsonArray([.. t.CandidateGroups.Select(g => (JsonNode?)g)]),
        ["candidateUsers"] = new JsonArray(),
        ["elementId"] = t.ElementId,
        ["creationDate"] = Date(t.CreationDate),
        ["customHeaders"] = new JsonObject(),
        ["priority"] = 50,
        ["tags"] = new JsonArray(),
        ["assignee"] = t.Assignee,
        ["completionDate"] = Date(t.CompletionDate),
        ["dueDate"] = null,
        ["externalFormReference"] = null,
        ["followUpDate"] = null,
        ["processDefinitionVersion"] = t.Instance.Definition.Version,
        ["formKey"] = null,
    };

    public static JsonObject Job(JobRecord j, IEnumerable<string>? fetch) => new()
    {
        ["type"] = j.Type,
        ["processDefinitionId"] = j.Instance.Definition.ProcessDefinitionId,
        ["processDefinitionVersion"] = j.Instance.Definition.Version,
        ["elementId"] = j.ElementId,
        ["customHeaders"] = new JsonObject(),
        ["worker"] = j.Worker ?? "",
        ["retries"] = j.Retries,
        ["deadline"] = j.Deadline.ToUnixTimeMilliseconds(),
        ["variables"] = Pick(Inputs(j), fetch),
        ["tenantId"] = TenantId,
        ["jobKey"] = j.Key,
        ["processInstanceKey"] = j.Instance.Key,
        ["processDefinitionKey"] = j.Instance.Definition.Key,
        ["elementInstanceKey"] = j.ElementInstanceKey,
        ["kind"] = "BPMN_ELEMENT",
        ["listenerEventType"] = "UNSPECIFIED",
        ["rootProcessInstanceKey"] = j.Instance.Key,
        ["tags"] = new JsonArray(),
        ["userTask"] = null,
    };

    /// <summary>A page of <paramref name="items"/> per the request's <c>page</c> (offset <c>from</c> or cursor <c>after</c>, and <c>limit</c>).</summary>
    public static JsonObject Page(IReadOnlyList<JsonObject> items, JsonObject? page)
    {
        // The spec's bounds: limit 1..10000, from 0 or more; the engine refuses a page outside them.
        var limit = page?["limit"]?.GetValue<int>() ?? 100;
        if (limit is < 1 or > 10000)
        {
            throw CamundaProblem.InvalidArgument($"The value for page.limit is '{limit}' but must be between 1 and 10000.");
        }

        var from = page?["after"]?.GetValue<string>() is { } after ? Cursor(after) : page?["from"]?.GetValue<int>() ?? 0;
        if (from < 0)
        {
            throw CamundaProblem.InvalidArgument($"The value for page.from is '{from}' but must be 0 or more.");
        }

        var slice = items.Skip(from).Take(limit).ToList();
        return new JsonObject
        {
            ["items"] = new JsonArray([.. slice]),
            ["page"] = new JsonObject
            {
                ["totalItems"] = items.Count,
                ["hasMoreTotalItems"] = false,
                ["startCursor"] = slice.Count == 0 ? null : Cursor(from),
                ["endCursor"] = slice.Count == 0 ? null : Cursor(from + slice.Count),
            },
        };
    }

    /// <summary>True when <paramref name="filter"/> has no condition on <paramref name="field"/> or its exact value (or <c>$eq</c>) equals <paramref name="value"/>.</summary>
    public static bool Matches(JsonObject? filter, string field, string? value) => filter?[field] switch
    {
        null => true,
        JsonObject advanced => advanced["$eq"]?.ToString() is not { } eq || eq == value,
        var exact => exact.ToString() == value,
    };

    /// <summary>Refuses a filter on <paramref name="field"/> (exact or <c>$eq</c>) whose value is not one of the enum's <paramref name="allowed"/> values.</summary>
    public static void RequireEnum(JsonObject? filter, string field, params string[] allowed)
    {
        var value = filter?[field] switch
        {
            null => null,
            JsonObject advanced => advanced["$eq"]?.ToString(),
            var exact => exact.ToString(),
        };
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            throw CamundaProblem.InvalidArgument($"The value for filter.{field} is '{value}' but must be one of {string.Join(", ", allowed)}.");
        }
    }

    /// <summary>True when a list-valued field (candidate groups) contains the filter's value.</summary>
    public static bool Contains(JsonObject? filter, string field, IEnumerable<string> values) => filter?[field] switch
    {
        null => true,
        JsonObject advanced => advanced["$eq"]?.ToString() is not { } eq || values.Contains(eq),
        var exact => values.Contains(exact.ToString()),
    };

    private static string Cursor(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes("offset:" + offset.ToString(CultureInfo.InvariantCulture)));

    private static int Cursor(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith("offset:", StringComparison.Ordinal) ? int.Parse(text[7..], CultureInfo.InvariantCulture) : 0;
        }
        catch (FormatException)
        {
            throw CamundaProblem.InvalidArgument($"The cursor '{cursor}' is not valid.");
        }
    }

    private static string? Date(DateTimeOffset? value) => value?.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Inputs(JobRecord job)
    {
        var variables = job.Instance.Variables.DeepClone().AsObject();
        foreach (var (name, source) in job.Inputs)
        {
            variables[name] = source.StartsWith('=') ? job.Instance.Variables[source[1..]]?.DeepClone() : source;
        }

        return variables;
    }

    private static JsonObject Pick(JsonObject variables, IEnumerable<string>? names)
    {
        var wanted = names?.ToList();
        var result = new JsonObject();
        foreach (var (name, value) in variables)
        {
            if (wanted is null || wanted.Count == 0 || wanted.Contains(name))
            {
                result[name] = value?.DeepClone();
            }
        }

        return result;
    }
}
