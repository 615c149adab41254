using Atlas.AppHost.Hosting;

namespace Atlas.AppHost;

/// <summary><c>dotnet run --project AppHost</c>: the whole Atlas stack on this machine (see --help).</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var command = AppHostCommandLine.Parse(args);
        if (command.Error is not null)
        {
            await Console.Error.WriteLineAsync(command.Error);
            return 2;
        }

        var builder = DistributedApplicationBuilder.Create(command.Options);
        if (command.InfrastructureOnly)
        {
            builder.AddInfrastructure();
        }
        else
        {
            builder.AddAtlas();
        }

        await using var app = builder.Build();
        return await AppHostRunner.RunAsync(app, command);
    }
}
