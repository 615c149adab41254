using Atlas.AppHost.Hosting;

namespace Atlas.AppHost.Infrastructure;

/// <summary>What the local-server resources share: the data folder, where the binaries are, and how durable to be.</summary>
internal sealed record AtlasHostSettings(DataFolder Data, ServerBinaries Binaries, bool Persistent, bool UseContainers)
{
    public string OwnerMark { get; } = Infrastructure.OwnerMark.For(Data.Root);

    /// <summary>The environment the stack runs as (dev, stage, prod).</summary>
    public AtlasEnvironment Environment { get; init; } = AtlasEnvironment.Dev;

    /// <summary>The Sandbox, once something needs a stand-in (Telegram, Camunda); started at most once.</summary>
    public IResourceBuilder<ProjectResource>? Sandbox { get; set; }

    /// <summary>After the stop: an ephemeral data folder is removed.</summary>
    public void Clean()
    {
        if (Persistent)
        {
            return;
        }

        try
        {
            Directory.Delete(Data.Root, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Could not remove {Data.Root}: {exception.Message}");
        }
    }
}
