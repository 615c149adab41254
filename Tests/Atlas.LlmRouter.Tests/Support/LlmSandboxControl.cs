using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Atlas.LlmRouter.Tests.Support;

/// <summary>The Sandbox LLM's control API: switches per surface (ollama, openai) and the requests each received.</summary>
public sealed class LlmSandboxControl(HttpClient http)
{
    public async Task SetFaultAsync(string surface, object fault) =>
        (await http.PutAsJsonAsync(new Uri($"sandbox/llm/{surface}/fault", UriKind.Relative), fault)).EnsureSuccessStatusCode();

    public async Task ClearFaultAsync(string surface) =>
        (await http.DeleteAsync(new Uri($"sandbox/llm/{surface}/fault", UriKind.Relative))).EnsureSuccessStatusCode();

    /// <summary>Makes the surface's model answer <paramref name="reply"/> to prompts whose last user message contains <paramref name="marker"/>.</summary>
    public async Task ScriptAsync(string surface, string marker, string reply) =>
        (await http.PostAsJsonAsync(new Uri($"sandbox/llm/{surface}/replies", UriKind.Relative), new { reply, whenContains = marker })).EnsureSuccessStatusCode();

    public async Task<int> CountAsync(string surface) => (await RequestsAsync(surface)).Count;

    /// <summary>The messages of each request the surface received, oldest first.</summary>
    public async Task<IReadOnlyList<JsonArray>> RequestsAsync(string surface)
    {
        var list = await http.GetFromJsonAsync<JsonObject>(new Uri($"sandbox/llm/{surface}/requests", UriKind.Relative));
        return [.. list!["requests"]!.AsArray().Select(r => r!["messages"]!.AsArray())];
    }
}
