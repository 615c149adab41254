using System.Net;
using Atlas.AppHost.Hosting;
using Atlas.AppHost.Infrastructure;
using Atlas.Testing;
using StackExchange.Redis;

namespace Atlas.IntegrationTests;

/// <summary>
/// Two environments on one machine at once (stage and prod, infrastructure only, each from its default data folder
/// under one ATLAS_DATA_HOME): each has its own folder, servers, ports, passwords and dashboard, and stopping one leaves
/// the other untouched.
/// </summary>
public sealed class TwoEnvironments : IDisposable
{
    private static readonly TimeSpan StopWithin = TimeSpan.FromSeconds(30);
    private readonly string _home = Directory.CreateTempSubdirectory("atlas-envs-").FullName;
    private readonly List<int> _started = [];

    // The servers run as their own users when the tests run as root: they must be able to reach their data folders.
    public TwoEnvironments() => File.SetUnixFileMode(_home, (UnixFileMode)0b111_101_101);

    [Fact]
    public async Task Stage_and_prod_run_side_by_side_without_touching_each_other()
    {
        var variables = new Dictionary<string, string> { [DataFolder.HomeVariable] = _home };
        var starting = new[] { AtlasEnvironment.Stage, AtlasEnvironment.Prod }.Select(environment =>
            AppHostProcess.StartAsync(Path.Combine(_home, $"{environment.Name}.env"), underDotnetRun: false,
                ["--infra-only", "--environment", environment.Name], _started, variables));
        var apphosts = await Task.WhenAll(starting);
        using var stage = apphosts[0];
        using var prod = apphosts[1];

        var stageServers = AppHostProcess.ReadEnvFile(Path.Combine(_home, "stage.env"));
        var prodServers = AppHostProcess.ReadEnvFile(Path.Combine(_home, "prod.env"));
        foreach (var server in (string[])["redis", "postgres", "rabbitmq"])
        {
            stageServers[server].Should().NotBe(prodServers[server], $"each environment has its own {server} (port and password)");
        }

        File.Exists(Path.Combine(_home, "stage", "apphost-state.json")).Should().BeTrue("stage keeps its data in <home>/stage");
        File.Exists(Path.Combine(_home, "prod", "apphost-state.json")).Should().BeTrue("prod keeps its data in <home>/prod");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        foreach (var environment in (AtlasEnvironment[])[AtlasEnvironment.Stage, AtlasEnvironment.Prod])
        {
            using var dashboard = await http.GetAsync(new Uri(environment.DashboardUrl));
            dashboard.StatusCode.Should().BeOneOf([HttpStatusCode.OK, HttpStatusCode.Found, HttpStatusCode.Redirect], $"{environment.Name}'s dashboard is on its own port");
        }

        Posix.Signal(stage.Id, Posix.SigTerm);
        (await stage.WaitForExitAsync(StopWithin)).Should().BeTrue("stage stops");

        OwnerMark.Find(Path.Combine(_home, "stage") + "|").Should().BeEmpty("stage's servers are gone");
        OwnerMark.Find(Path.Combine(_home, "prod") + "|").Should().NotBeEmpty("prod's servers still run");
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(prodServers["redis"]))
        {
            (await redis.GetDatabase().PingAsync()).Should().BePositive("prod's Redis still answers");
        }

        Posix.Signal(prod.Id, Posix.SigTerm);
        (await prod.WaitForExitAsync(StopWithin)).Should().BeTrue("prod stops");
    }

    public void Dispose()
    {
        foreach (var pid in _started.Where(Posix.IsAlive))
        {
            Posix.Signal(pid, Posix.SigKill);
        }

        foreach (var (pid, _) in OwnerMark.Find(_home))
        {
            Posix.Signal(pid, Posix.SigKill);
        }

        Directory.Delete(_home, recursive: true);
    }
}
