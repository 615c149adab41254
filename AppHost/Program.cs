using Atlas.AppHost;
using Atlas.AppHost.Hosting;

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
