using System.Text;
using Atlas.AppHost.Hosting;
using Atlas.AppHost.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Atlas.AppHost;

/// <summary>
/// <c>--env-file</c>: once Redis, PostgreSQL and RabbitMQ are healthy, writes shell-sourceable lines
/// (<c>ATLAS_TEST_REDIS='...'</c>, and <c>ATLAS_TEST_RABBITMQ_MANAGEMENT</c>) for the test command, to a temp file
/// first and then moved, so a reader never sees half a file.
/// </summary>
internal sealed class EnvFileWriter(IServiceProvider services, string path) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var model = services.GetRequiredService<DistributedApplicationModel>();
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var lines = new StringBuilder();
        foreach (var name in (string[])["redis", "postgres", "rabbitmq"])
        {
            var resource = model.Resources.OfType<IResourceWithConnectionString>().Single(r => r.Name == name);
            if (resource is not ParameterResource)
            {
                await notifications.WaitForResourceHealthyAsync(name, stoppingToken).ConfigureAwait(false);
            }

            lines.Append(Line(name, await resource.ConnectionStringExpression.GetValueAsync(stoppingToken).ConfigureAwait(false)));
            if (resource is LocalRabbitMqResource rabbit)
            {
                lines.Append(Line(name + "_management", rabbit.ManagementEndpoint.Url + "/"));
            }
        }

        var temporary = path + ".tmp";
        await PrivateFile.WriteAsync(temporary, lines.ToString(), stoppingToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    private static string Line(string name, string? value) => $"ATLAS_TEST_{name.ToUpperInvariant()}='{value}'\n";
}
