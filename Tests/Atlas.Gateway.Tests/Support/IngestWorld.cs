using Atlas.Testing;
using Atlas.Testing.Sandbox;

namespace Atlas.Gateway.Tests.Support;

/// <summary>
/// What every ingest test stands on: its own Sandbox with one bot, its own database, vhost and Redis prefix, and a
/// recorder of what reaches the bus. Gateways come and go on top of it (<see cref="StartGatewayAsync"/>).
/// </summary>
internal sealed record IngestWorld(SandboxHost Sandbox, SandboxBot Bot, IsolatedResources Resources, IngestRecorder Recorder)
    : IAsyncDisposable
{
    public static async Task<IngestWorld> StartAsync(string hint)
    {
        var sandbox = await SandboxHost.StartAsync();
        try
        {
            var bot = await sandbox.Telegram.CreateBotAsync();
            var resources = await IsolatedResources.CreateAsync(hint);
            return new IngestWorld(sandbox, bot, resources, await IngestRecorder.StartAsync(resources.RabbitMq));
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }
    }

    /// <summary>A gateway for the world's bot on the world's servers; the caller disposes it.</summary>
    public Task<IngestGateway> StartGatewayAsync(IReadOnlyDictionary<string, string?>? settings = null, bool kestrel = false) =>
        IngestGateway.StartAsync(Resources, Sandbox, Bot.Token, settings, kestrel);

    public async ValueTask DisposeAsync()
    {
        await Recorder.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
