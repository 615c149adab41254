using Atlas.AppHost.Chaos;
using Atlas.AppHost.Hosting;

namespace Atlas.AppHost;

/// <summary>
/// The AppHost's own switches. Everything else on the command line (<c>--ConnectionStrings:redis=...</c>,
/// <c>--Parameters:telegram-bot-token=...</c>, Aspire's own settings) is passed to Aspire's configuration.
/// </summary>
internal sealed record AtlasOptions(string DataRoot, bool Persistent, bool InfrastructureOnly, bool UseContainers, bool NoDashboard, string? EnvFile, string[] AspireArgs)
{
    /// <summary><c>--with-prometheus</c>: a local Prometheus scraping every service and loading the alert rules.</summary>
    public bool WithPrometheus { get; init; }

    /// <summary><c>publish --output &lt;dir&gt;</c>: write the deploy artifacts there instead of running.</summary>
    public string? PublishOutput { get; init; }

    /// <summary><c>chaos &lt;scenario&gt; [--seconds N]</c>: run that drill in an ephemeral stack of its own, print the report, exit.</summary>
    public ChaosScenario? Chaos { get; init; }

    /// <summary><c>--environment</c> or <c>ENVIRONMENT</c>: dev (the default), stage or prod.</summary>
    public AtlasEnvironment Environment { get; init; } = AtlasEnvironment.Dev;

    public const string Usage = """
        Usage: dotnet run --project AppHost -- [options]
               dotnet run --project AppHost -- publish --output <folder> [--ConnectionStrings:...] [--Parameters:...]
               dotnet run --project AppHost -- smoke | upgrade prepare|verify|resume [--environment <env>] [--data <folder>]   (see: smoke --help)
               dotnet run --project AppHost -- chaos <scenario> [<service>] [--seconds N]
          --environment <env>  dev (default), stage or prod; also ENVIRONMENT=<env>. Sets log level, backups, debug
                               endpoints and trace sampling, and keeps the environment apart: its own data folder,
                               database names prefixed <env>_, dashboard on 18888 (dev), 18988 (stage), 19088 (prod)
          --data <folder>      where local servers keep their data (default: <base>/<env>, <base> being local app data,
                               /var/lib/atlas for root, or ATLAS_DATA_HOME)
          --ephemeral          data in a temp folder, removed on exit; relaxed durability (test runs)
          --infra-only         start Redis, PostgreSQL and RabbitMQ only
          --containers         where a server is neither configured nor installed, run Aspire's container for it
          --no-dashboard       do not start the Aspire dashboard (the test command's shared servers)
          --env-file <file>    once the servers are healthy, write ATLAS_TEST_<RESOURCE>='<connection string>' lines to <file>
          --with-prometheus    also start a local Prometheus (Debian's /usr/bin/prometheus) scraping every service, with the alert rules
          publish --output <folder>  write the deploy artifacts (Aspire manifest, Kubernetes manifests, Docker Compose file,
                               Prometheus scrape config and rules) to <folder> instead of running; see docs/operations.md
          chaos <scenario> [--seconds N]  start an ephemeral stack, run a chaos drill in it with traffic through the Sandbox,
                               print the report, exit non-zero if a message was lost or handled twice. Scenarios:
                               rabbitmq-crash, redis-down, postgres-restart, kill <service>, llm-down, camunda-down,
                               telegram-429, telegram-5xx (default 30 s); see docs/operations.md
          --ConnectionStrings:<name>=<value>       use a running server instead of a local one
          --Parameters:telegram-bot-token=<token>  talk to the real Telegram instead of the Sandbox
        The Aspire dashboard listens on http://localhost:18888 (login link printed at start).
        """;

    public static AtlasOptions Parse(string[] args, out string? error)
    {
        error = null;
        string? data = null, envFile = null, output = null, environment = System.Environment.GetEnvironmentVariable(AtlasEnvironment.Variable);
        bool ephemeral = false, infraOnly = false, containers = false, noDashboard = false, prometheus = false, publish = false;
        var rest = new List<string>();
        List<string>? chaos = null;
        var chaosSeconds = ChaosScenario.DefaultDuration.TotalSeconds;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data" when i + 1 < args.Length: data = args[++i]; break;
                case "--environment" when i + 1 < args.Length: environment = args[++i]; break;
                case "--env-file" when i + 1 < args.Length: envFile = args[++i]; break;
                case "--ephemeral": ephemeral = true; break;
                case "--infra-only": infraOnly = true; break;
                case "--containers": containers = true; break;
                case "--no-dashboard": noDashboard = true; break;
                case "--with-prometheus": prometheus = true; break;
                case "publish" when i == 0: publish = true; break;
                case "--output" when publish && i + 1 < args.Length: output = args[++i]; break;
                case "chaos" when i == 0: chaos = []; break;
                case "--seconds" when chaos is not null && i + 1 < args.Length:
                    chaosSeconds = double.TryParse(args[++i], System.Globalization.CultureInfo.InvariantCulture, out var s) && s is > 0 and <= 3600 ? s : -1;
                    break;
                case var word when chaos is not null && !word.StartsWith('-'): chaos.Add(word); break;
                case "--help" or "-h": error = Usage; break;
                default: rest.Add(args[i]); break;
            }
        }

        var profile = string.IsNullOrWhiteSpace(environment) ? AtlasEnvironment.Dev : AtlasEnvironment.Find(environment);
        if (profile is null)
        {
            error = $"Unknown environment '{environment}': use dev, stage or prod.\n" + Usage;
            return new AtlasOptions("", false, false, false, true, null, []);
        }

        if (publish)
        {
            if (string.IsNullOrWhiteSpace(output))
            {
                error = "publish needs --output <folder>.\n" + Usage;
                return new AtlasOptions("", false, false, false, true, null, []);
            }

            // Aspire's manifest publisher writes the manifest; Atlas's own artifacts follow from the same model. The data
            // folder is a throwaway: publishing generates no secret and starts nothing.
            output = Path.GetFullPath(output);
            rest.AddRange(["--publisher", "manifest", "--output-path", Path.Combine(output, "aspire-manifest.json")]);
            var scratch = Directory.CreateTempSubdirectory("atlas-publish-").FullName;
            return new AtlasOptions(scratch, false, false, false, true, null, [.. rest]) { PublishOutput = output };
        }

        if (chaos is not null)
        {
            // A drill breaks things on purpose: always in a stack of its own, never in the developer's data folder.
            var scenario = ChaosScenario.Parse(chaos, TimeSpan.FromSeconds(chaosSeconds), out var problem);
            error ??= problem is null ? null : problem + "\n" + Usage;
            var scratch = scenario is null ? "" : Directory.CreateTempSubdirectory("atlas-chaos-").FullName;
            return new AtlasOptions(scratch, false, false, containers, true, null, [.. rest]) { Chaos = scenario, Environment = profile };
        }

        // Outside the launch profile (dotnet Atlas.AppHost.dll, the test command), and for stage and prod always (the
        // launch profile's ports are dev's): the environment's fixed, documented dashboard ports.
        if (!rest.Any(a => a.Contains("ASPNETCORE_URLS", StringComparison.Ordinal))
            && (System.Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is null || profile != AtlasEnvironment.Dev))
        {
            rest.AddRange([$"--ASPNETCORE_URLS={profile.DashboardUrl}", $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL={profile.OtlpUrl}", "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true"]);
        }

        var root = data ?? (ephemeral ? Directory.CreateTempSubdirectory("atlas-apphost-").FullName : DataFolder.DefaultRoot(profile.Name));
        return new AtlasOptions(Path.GetFullPath(root), !ephemeral, infraOnly, containers, noDashboard, envFile, [.. rest])
        {
            WithPrometheus = prometheus,
            Environment = profile,
        };
    }
}
