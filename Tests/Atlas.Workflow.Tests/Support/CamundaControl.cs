using System.Net.Http.Json;
using System.Text.Json;

namespace Atlas.Workflow.Tests.Support;

/// <summary>A client for the Camunda Sandbox's control API (<c>/sandbox/camunda</c>) and a direct engine client.</summary>
public sealed class CamundaControl(HttpClient http)
{
    public Task SwitchAsync(bool? engineDown = null, bool? tokenEndpointDown = null, bool? rejectTokens = null, long? delayMs = null) =>
        SendAsync(HttpMethod.Put, "sandbox/camunda/switches", new { engineDown, tokenEndpointDown, rejectTokens, delayMs });

    public Task SettingsAsync(long? searchLagMs = null, long? tokenLifetimeSeconds = null, string? clientSecret = null) =>
        SendAsync(HttpMethod.Put, "sandbox/camunda/settings", new { searchLagMs, tokenLifetimeSeconds, clientSecret });

    public Task ConfigureProcessAsync(string id, object process) => SendAsync(HttpMethod.Put, $"sandbox/camunda/processes/{id}", process);

    public Task<JsonElement> InstanceAsync(string key) => GetAsync($"sandbox/camunda/instances/{key}");

    public Task<JsonElement> JobsAsync(string type) => GetAsync($"sandbox/camunda/jobs?type={Uri.EscapeDataString(type)}");

    public Task<JsonElement> DefinitionsAsync() => GetAsync("sandbox/camunda/definitions");

    public Task<JsonElement> AuthAsync() => GetAsync("sandbox/camunda/auth");

    /// <summary>Searches process instances on the engine directly (Basic auth), e.g. by business id.</summary>
    public async Task<JsonElement> SearchInstancesAsync(object filter)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "camunda/v2/process-instances/search") { Content = JsonContent.Create(new { filter }) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String("demo:demo"u8.ToArray()));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items");
    }

    /// <summary>Searches user tasks on the engine directly (Basic auth).</summary>
    public async Task<JsonElement> SearchTasksAsync(object filter)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "camunda/v2/user-tasks/search") { Content = JsonContent.Create(new { filter }) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String("demo:demo"u8.ToArray()));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items");
    }

    private async Task SendAsync(HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
