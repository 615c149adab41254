using Atlas.AppHost.Hosting;
using Microsoft.Extensions.Configuration;

namespace Atlas.AppHost;

/// <summary>The AppHost's command line. Unknown <c>--Key=value</c> arguments become configuration (e.g. connection strings).</summary>
internal sealed record AppHostCommandLine(AppHostOptions Options, bool InfrastructureOnly, string? EnvFile, string? Error)
{
    public const string Usage = """
        Usage: dotnet run --project AppHost -- [options]
          --data <folder>      where local servers keep their data (default: local app data, /var/lib/atlas for root)
          --ephemeral          data in a temp folder, removed on exit; relaxed durability (test runs)
          --infra-only         start Redis, PostgreSQL and RabbitMQ only
          --env-file <file>    once running, write ATLAS_TEST_<RESOURCE>='<connection string>' lines to <file>
          --quiet              do not echo the resources' console output
          --ConnectionStrings:<name>=<value>   use a running server instead of a local one
        """;

    public static AppHostCommandLine Parse(string[] args)
    {
        string? data = null, envFile = null;
        bool ephemeral = false, infraOnly = false, quiet = false;
        var configurationArgs = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data" when i + 1 < args.Length: data = args[++i]; break;
                case "--env-file" when i + 1 < args.Length: envFile = args[++i]; break;
                case "--ephemeral": ephemeral = true; break;
                case "--infra-only": infraOnly = true; break;
                case "--quiet": quiet = true; break;
                case "--help" or "-h": return new(new AppHostOptions(), false, null, Usage);
                default:
                    if (!args[i].StartsWith("--", StringComparison.Ordinal) || (!args[i].Contains('=', StringComparison.Ordinal) && i + 1 >= args.Length))
                    {
                        return new(new AppHostOptions(), false, null, $"Unknown argument '{args[i]}'.{Environment.NewLine}{Usage}");
                    }

                    configurationArgs.Add(args[i]);
                    break;
            }
        }

        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddUserSecrets(typeof(AppHostCommandLine).Assembly, optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine([.. configurationArgs])
            .Build();
        var options = new AppHostOptions
        {
            DataRoot = data ?? (ephemeral ? Directory.CreateTempSubdirectory("atlas-apphost-").FullName : DataFolder.DefaultRoot()),
            Persistent = !ephemeral,
            EchoResourceLogs = !quiet,
            Configuration = configuration,
        };
        return new(options, infraOnly, envFile, null);
    }
}
