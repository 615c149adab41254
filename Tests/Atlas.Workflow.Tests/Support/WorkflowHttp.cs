using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atlas.Testing;

namespace Atlas.Workflow.Tests.Support;

/// <summary>Calls to the workflow service's HTTP API and waits on the Sandbox that tests share.</summary>
public static class WorkflowHttp
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> StartProcessAsync(HttpClient client, string processId, object? variables = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/workflow/process-instances") { Content = JsonContent.Create(new { processDefinitionId = processId, variables }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await ReadAsync(await client.SendAsync(request));
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, string path, object? body = null) =>
        await ReadAsync(await client.PostAsync(new Uri(path, UriKind.Relative), body is null ? null : JsonContent.Create(body)));

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path) =>
        await ReadAsync(await client.GetAsync(new Uri(path, UriKind.Relative)));

    public static async Task<(HttpStatusCode Status, JsonElement Body)> DeleteAsync(HttpClient client, string path) =>
        await ReadAsync(await client.DeleteAsync(new Uri(path, UriKind.Relative)));

    /// <summary>Waits until the service has deployed the shipped processes to the Sandbox.</summary>
    public static Task WaitDeployedAsync(WorkflowWorld world) => Eventually.PollAsync(
        async () => (await world.Camunda.DefinitionsAsync()).EnumerateArray().Select(d => d.GetProperty("processDefinitionId").GetString()).ToList(),
        ids => ids.Contains("atlas-appeal-review") && ids.Contains("atlas-onboarding"));

    /// <summary>The open user tasks of a process instance, once the engine shows one.</summary>
    public static async Task<JsonElement> WaitUserTaskAsync(WorkflowWorld world, string processInstanceKey) =>
        (await Eventually.PollAsync(() => world.Camunda.SearchTasksAsync(new { processInstanceKey, state = "CREATED" }), items => items.GetArrayLength() == 1))[0];

    private static async Task<(HttpStatusCode, JsonElement)> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
        }
    }
}
