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

    public const string Usage = """
        Usage: dotnet run --project AppHost -- [options]
               dotnet run --project AppHost -- publish --output <folder> [--ConnectionStrings:...] [--Parameters:...]
               dotnet run --project AppHost -- chaos <scenario> [<service>] [--seconds N]
          --data <folder>      where local servers keep their data (default: local app data, /var/lib/atlas for root)
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
        string? data = null, envFile = null, output = null;
        bool ephemeral = false, infraOnly = false, containers = false, noDashboard = false, prometheus = false, publish = false;
        var rest = new List<string>();
        List<string>? chaos = null;
        var chaosSeconds = ChaosScenario.DefaultDuration.TotalSeconds;
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
            return new AtlasOptions(scratch, false, false, containers, true, null, [.. rest]) { Chaos = scenario };
        }

        if (!rest.Any(a => a.Contains("ASPNETCORE_URLS", StringComparison.Ordinal)) && Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is null)
        {
            // Outside the launch profile (dotnet Atlas.AppHost.dll, the test command): the same fixed, documented ports.
            rest.AddRange(["--ASPNETCORE_URLS=http://localhost:18888", "--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:18889", "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true"]);
        }

        var root = data ?? (ephemeral ? Directory.CreateTempSubdirectory("atlas-apphost-").FullName : DataFolder.DefaultRoot());
        return new AtlasOptions(Path.GetFullPath(root), !ephemeral, infraOnly, containers, noDashboard, envFile, [.. rest]) { WithPrometheus = prometheus };
    }
}
