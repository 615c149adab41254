using Atlas.Sandbox.Apis;
using Atlas.Sandbox.Extensions;

namespace Atlas.Sandbox;

/// <summary>
/// The Sandbox front door. An explicit class in a namespace (not top-level statements) because tests host
/// several services at once and each one's <c>Program</c> must be told apart.
/// </summary>
public partial class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.AddBasicServiceDefaults();
        builder.AddSandboxServices();

        var app = builder.Build();

        app.MapDefaultEndpoints();
        app.MapTelegramBotApi();
        app.MapTelegramControlApi();
        app.MapSandboxPages();

        await app.RunAsync().ConfigureAwait(false);
    }
}
