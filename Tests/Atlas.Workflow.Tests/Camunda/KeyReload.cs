using System.Net;
using System.Text.Json;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using Atlas.Workflow.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace Atlas.Workflow.Tests.Camunda;

/// <summary>
/// Camunda's client secret and address come from a configuration file that is watched: a rotated secret and a moved
/// cluster are used by the running service, without a restart.
/// </summary>
public sealed class KeyReload : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("atlas-camunda-reload-").FullName;
    private WorkflowWorld _world = null!;
    private SandboxHost _moved = null!;

    private string SettingsFile => Path.Combine(_folder, "camunda.json");

    public async Task InitializeAsync()
    {
        _world = await WorkflowWorld.StartAsync();
        _moved = await SandboxHost.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _world.DisposeAsync();
        await _moved.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_rotated_client_secret_and_a_moved_cluster_apply_without_a_restart()
    {
        await WriteSettingsAsync(_world.Sandbox.BaseUrl, "sandbox-secret");
        var settings = _world.Settings.Where(s => !s.Key.StartsWith("Camunda:Auth:", StringComparison.Ordinal) && s.Key != "Camunda:RestAddress")
            .ToDictionary(s => s.Key, s => s.Value);
        await using var service = new ServiceFactory<Program>("workflowdb", _world.Resources, settings)
            .WithWebHostBuilder(b => b.ConfigureAppConfiguration(c => c.AddJsonFile(SettingsFile, optional: false, reloadOnChange: true)));
        using var client = service.CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", WorkflowWorld.OpsKey);
        (await SearchAsync(client)).Should().Be(HttpStatusCode.OK);
        var issued = await IssuedAsync(_world.Sandbox.BaseUrl);

        // The identity provider rotates the secret: the old one gets no more tokens. The file gets the new one.
        await _world.Camunda.SettingsAsync(clientSecret: "rotated-secret");
        await WriteSettingsAsync(_world.Sandbox.BaseUrl, "rotated-secret");
        await Eventually.PollAsync(() => SearchThenIssuedAsync(client, _world.Sandbox.BaseUrl), n => n > issued, TimeSpan.FromSeconds(30));
        (await SearchAsync(client)).Should().Be(HttpStatusCode.OK);

        // The cluster moves (another engine and identity provider): calls follow the file there.
        var requestsBefore = await RequestsAsync(_world.Sandbox.BaseUrl);
        await WriteSettingsAsync(_moved.BaseUrl, "sandbox-secret");
        await Eventually.PollAsync(() => SearchThenIssuedAsync(client, _moved.BaseUrl), n => n > 0, TimeSpan.FromSeconds(30));
        (await SearchAsync(client)).Should().Be(HttpStatusCode.OK);
        (await RequestsAsync(_world.Sandbox.BaseUrl)).Should().Be(requestsBefore, "nothing asks the old cluster for a token any more");
    }

    // A call that needs a token (so a reload shows in the identity provider's counts), then those counts.
    private static async Task<int> SearchThenIssuedAsync(HttpClient client, Uri sandbox)
    {
        await SearchAsync(client);
        return await IssuedAsync(sandbox);
    }

    private static async Task<HttpStatusCode> SearchAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/workflow/user-tasks", UriKind.Relative));
        return response.StatusCode;
    }

    private Task WriteSettingsAsync(Uri sandbox, string secret) => File.WriteAllTextAsync(SettingsFile, JsonSerializer.Serialize(new
    {
        Camunda = new
        {
            RestAddress = new Uri(sandbox, "camunda/").ToString(),
            Auth = new
            {
                Mode = "OAuth",
                TokenUrl = new Uri(sandbox, "camunda/oauth/token").ToString(),
                ClientId = "atlas-workflow",
                ClientSecret = secret,
                FailureBackoff = "00:00:00.500",
            },
        },
    }));

    private static async Task<int> IssuedAsync(Uri sandbox) => (await AuthAsync(sandbox)).GetProperty("tokensIssued").GetInt32();

    private static async Task<int> RequestsAsync(Uri sandbox) => (await AuthAsync(sandbox)).GetProperty("tokenRequests").GetInt32();

    private static async Task<JsonElement> AuthAsync(Uri sandbox)
    {
        using var http = new HttpClient { BaseAddress = sandbox };
        return await new CamundaControl(http).AuthAsync();
    }
}
