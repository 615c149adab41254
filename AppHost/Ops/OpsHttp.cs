using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Atlas.AppHost.Audit;

namespace Atlas.AppHost.Ops;

/// <summary>
/// The services' ops APIs as the playbook and the smoke test use them, each call with that service's ops key as
/// <c>X-Admin-Key</c>, and who calls (<see cref="AuditCaller"/>: the OS user from the command line, <c>dashboard</c> from a
/// dashboard command) for the services' ops audit logs. A refusal becomes an <see cref="OpsCallException"/> naming the call and the problem's title
/// and detail (never the key).
/// </summary>
internal sealed class OpsHttp(StackDiscovery stack, HttpClient http, AuditCaller? caller = null)
{
    private readonly AuditCaller _caller = caller ?? AuditCaller.Cli;

    public StackDiscovery Stack => stack;

    public Task<JsonObject> FreezeAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, stack.Gateway, "admin/freeze", stack.GatewayAdminKey, null, cancellationToken);

    public Task<JsonObject> UnfreezeAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, stack.Gateway, "admin/unfreeze", stack.GatewayAdminKey, null, cancellationToken);

    public Task<JsonObject> GatewayStatusAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, stack.Gateway, "admin/status", stack.GatewayAdminKey, null, cancellationToken);

    /// <summary>An emergency backup of every target; the run (<c>backups</c>, <c>failures</c>).</summary>
    public Task<JsonObject> BackUpNowAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, stack.Backup, "backups", stack.BackupOpsKey, new JsonObject { ["target"] = "all" }, cancellationToken);

    public Task<JsonObject> WarmWorkflowAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, stack.Workflow, "workflow/caches/warm", stack.WorkflowOpsKey, null, cancellationToken);

    /// <summary>Starts a process instance; the answer says whether it was applied (201/200) or parked (202).</summary>
    public async Task<(int Status, JsonObject Body)> StartProcessAsync(string processId, JsonObject variables, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, stack.Workflow, "workflow/process-instances", stack.WorkflowOpsKey,
            new JsonObject { ["processDefinitionId"] = processId, ["variables"] = variables });
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return ((int)response.StatusCode, await BodyAsync(response, "POST workflow/process-instances", cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Adds (or replaces, by id) a knowledge-base document.</summary>
    public Task<JsonObject> PutKnowledgeAsync(JsonObject document, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, stack.LlmRouter, "knowledge/documents", stack.LlmRouterAdminKey, document, cancellationToken);

    /// <summary>LlmRouter's model providers with their health (<c>name</c>, <c>model</c>, <c>healthy</c>).</summary>
    public async Task<JsonArray> LlmProvidersAsync(CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, stack.LlmRouter, "admin/providers", stack.LlmRouterAdminKey, null);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, "GET llmrouter admin/providers", cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<JsonArray>(cancellationToken).ConfigureAwait(false) ?? [];
    }

    /// <summary>The sum of a counter over all its series on <paramref name="service"/>'s <c>/metrics</c>, optionally of one label value.</summary>
    public async Task<double> ScrapeSumAsync(Uri service, string metric, string? label = null, CancellationToken cancellationToken = default)
    {
        var text = await http.GetStringAsync(new Uri(service, "metrics"), cancellationToken).ConfigureAwait(false);
        return PrometheusText.Sum(text, metric, label);
    }

    private async Task<JsonObject> SendAsync(HttpMethod method, Uri service, string path, string key, JsonObject? body, CancellationToken cancellationToken)
    {
        using var request = Request(method, service, path, key, body);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var what = $"{method} {path}";
        await EnsureAsync(response, what, cancellationToken).ConfigureAwait(false);
        return await BodyAsync(response, what, cancellationToken).ConfigureAwait(false);
    }

    private HttpRequestMessage Request(HttpMethod method, Uri service, string path, string key, JsonObject? body)
    {
        var request = new HttpRequestMessage(method, new Uri(service, path));
        request.Headers.Add("X-Admin-Key", key);
        _caller.Apply(request);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return request;
    }

    private static async Task<JsonObject> BodyAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            throw new OpsCallException($"{what} answered {(int)response.StatusCode} with a body that is not JSON.");
        }
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var problem = await BodyAsync(response, what, cancellationToken).ConfigureAwait(false);
        var title = problem["title"]?.GetValue<string>();
        var detail = problem["detail"]?.GetValue<string>();
        throw new OpsCallException(string.Create(CultureInfo.InvariantCulture,
            $"{what} answered {(int)response.StatusCode}{(title is null ? "" : $" {title}")}{(detail is null ? "" : $": {detail}")}"));
    }
}

/// <summary>An ops API call that was refused or failed; the message is safe to print.</summary>
internal sealed class OpsCallException(string message) : Exception(message);
