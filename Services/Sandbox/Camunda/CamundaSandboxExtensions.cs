using Atlas.Sandbox.Apis;

namespace Atlas.Sandbox.Camunda;

/// <summary>Registers and maps the Camunda 8 stand-in (engine API, token endpoint, control API).</summary>
internal static class CamundaSandboxExtensions
{
    public static void AddCamundaSandbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CamundaSandboxOptions>().BindConfiguration(CamundaSandboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<CamundaSwitches>();
        builder.Services.AddSingleton<CamundaAuth>();
        builder.Services.AddSingleton<CamundaEngine>();
    }

    public static void MapCamundaSandbox(this IEndpointRouteBuilder app)
    {
        app.MapCamundaEngineApi();
        app.MapCamundaControlApi();
    }
}
