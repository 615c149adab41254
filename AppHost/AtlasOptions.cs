using Atlas.AppHost.Hosting;

namespace Atlas.AppHost;

/// <summary>
/// The AppHost's own switches. Everything else on the command line (<c>--ConnectionStrings:redis=...</c>,
/// <c>--Parameters:telegram-bot-token=...</c>, Aspire's own settings) is passed to Aspire's configuration.
/// </summary>
internal sealed record AtlasOptions(string DataRoot, bool Persistent, bool InfrastructureOnly, bool UseContainers, bool NoDashboard, string? EnvFile, string[] AspireArgs)
{
    public const string Usage = """
        Usage: dotnet run --project AppHost -- [options]
          --data <folder>      where local servers keep their data (default: local app data, /var/lib/atlas for root)
          --ephemeral          data in a temp folder, removed on exit; relaxed durability (test runs)
          --infra-only         start Redis, PostgreSQL and RabbitMQ only
          --containers         where a server is neither configured nor installed, run Aspire's container for it
          --no-dashboard       do not start the Aspire dashboard (the test command's shared servers)
          --env-file <file>    once the servers are healthy, write ATLAS_TEST_<RESOURCE>='<connection string>' lines to <file>
          --ConnectionStrings:<name>=<value>       use a running server instead of a local one
          --Parameters:telegram-bot-token=<token>  talk to the real Telegram instead of the Sandbox
        The Aspire dashboard listens on http://localhost:18888 (login link printed at start).
        """;

    public static AtlasOptions Parse(string[] args, out string? error)
    {
        error = null;
        string? data = null, envFile = null;
        bool ephemeral = false, infraOnly = false, containers = false, noDashboard = false;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data" when i + 1 < args.Length: data = args[++i]; break;
                case "--env-file" when i + 1 < args.Length: envFile = args[++i]; break;
                case "--ephemeral": ephemeral = true; break;
                case "--infra-only": infraOnly = true; break;
                case "--containers": containers = true; break;
                case "--no-dashboard": noDashboard = true; break;
                case "--help" or "-h": error = Usage; break;
                default: rest.Add(args[i]); break;
            }
        }

        if (!rest.Any(a => a.Contains("ASPNETCORE_URLS", StringComparison.Ordinal)) && Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is null)
        {
            // Outside the launch profile (dotnet Atlas.AppHost.dll, the test command): the same fixed, documented ports.
            rest.AddRange(["--ASPNETCORE_URLS=http://localhost:18888", "--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:18889", "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true"]);
        }

        var root = data ?? (ephemeral ? Directory.CreateTempSubdirectory("atlas-apphost-").FullName : DataFolder.DefaultRoot());
        return new AtlasOptions(Path.GetFullPath(root), !ephemeral, infraOnly, containers, noDashboard, envFile, [.. rest]);
    }
}
