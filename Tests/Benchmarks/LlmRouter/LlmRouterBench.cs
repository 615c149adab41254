extern alias llmrouter;

using System.Net;
using Atlas.AppHost.Hosting;
using Atlas.Testing;
using Atlas.Testing.Sandbox;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RouterProgram = llmrouter::Program;

namespace Atlas.Benchmarks.LlmRouter;

/// <summary>
/// LlmRouter in-process on a real Kestrel port with only the OpenAI-compatible provider, pointed at an in-process
/// Sandbox LLM, on its own slice of the real servers; logging at warnings so the console does not skew the figures.
/// </summary>
internal sealed class LlmRouterBench : IAsyncDisposable
{
    public const string AdminKey = "bench-admin-key";

    private LlmRouterBench(SandboxHost sandbox, ServiceFactory<RouterProgram> router, Uri routerUrl)
    {
        Sandbox = sandbox;
        Router = router;
        RouterUrl = routerUrl;
    }

    public SandboxHost Sandbox { get; }

    public ServiceFactory<RouterProgram> Router { get; }

    public Uri RouterUrl { get; }

    public static async Task<LlmRouterBench> StartAsync(string hint)
    {
        var resources = await IsolatedResources.CreateAsync(hint);
        var sandbox = await SandboxHost.StartAsync(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        var port = FreePort.Next();
        var routerUrl = new Uri($"http://127.0.0.1:{port}/");
        var router = new ServiceFactory<RouterProgram>("llmdb", resources, new Dictionary<string, string?>
        {
            ["LlmRouter:OpenAI:BaseUrl"] = new Uri(sandbox.BaseUrl, "v1/").ToString(),
            ["LlmRouter:OpenAI:Model"] = "sandbox-echo",
            ["LlmRouter:AdminApiKey"] = AdminKey,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None",
            ["Logging:LogLevel:MassTransit"] = "Error",
        });
        router.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        await Task.Run(router.StartServer);
        using var probe = new HttpClient { BaseAddress = routerUrl };
        await Eventually.PollAsync(
            async () => (await probe.GetAsync(new Uri("readyz", UriKind.Relative))).StatusCode,
            status => status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60));
        return new LlmRouterBench(sandbox, router, routerUrl);
    }

    /// <summary>Changes the router's configuration at run time (its options are monitored).</summary>
    public void Reconfigure(IReadOnlyDictionary<string, string> settings)
    {
        var configuration = (IConfigurationRoot)Router.Services.GetRequiredService<IConfiguration>();
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        configuration.Reload();
    }

    public async ValueTask DisposeAsync()
    {
        await Router.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
