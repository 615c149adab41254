using Atlas.Sandbox.Apis;
using Atlas.Sandbox.Elasticsearch;
using Atlas.Sandbox.Extensions;
using Atlas.Sandbox.Llm;
using Atlas.Sandbox.S3;

namespace Atlas.Sandbox;

/// <summary>
/// The Sandbox front door. An explicit class in a namespace (not top-level statements) because tests host
/// several services at once and each one's <c>Program</c> must be told apart.
/// </summary>
public partial class Program
{
    public static async Task Main(string[] args)
    {
        var app = CreateApp(new WebApplicationOptions { Args = args });
        await app.RunAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Builds the Sandbox. <paramref name="configure"/> runs after the Sandbox's own registrations, which lets a test
    /// host (Atlas.Testing's SandboxHost) add settings, listen on a free port or swap the TimeProvider.
    /// </summary>
    public static WebApplication CreateApp(WebApplicationOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(options);

        builder.AddBasicServiceDefaults();
        // The stand-ins keep no text in PostgreSQL and must carry what the real services may carry (a NUL in a user's
        // message, to test the services that do), so the services' refusal of U+0000 in request bodies is not theirs.
        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.Converters.Remove(json.SerializerOptions.Converters.OfType<Atlas.ServiceDefaults.Http.NulFreeStringConverter>().Single()));
        builder.AddSandboxServices();
        configure?.Invoke(builder);

        var app = builder.Build();

        app.MapDefaultEndpoints();
        app.MapS3Api();
        app.MapTelegramBotApi();
        app.MapTelegramControlApi();
        app.MapSandboxPages();
        app.MapLlmSandbox();
        app.MapElasticsearchSandbox();
        Cas.CasSandbox.MapCasSandbox(app);
        Camunda.CamundaSandboxExtensions.MapCamundaSandbox(app);
        return app;
    }
}
