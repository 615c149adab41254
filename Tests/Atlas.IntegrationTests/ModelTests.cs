using Atlas.AppHost.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.IntegrationTests;

/// <summary>The application model the AppHost builds, read without starting it: how each server is resolved.</summary>
public sealed class ModelTests : IDisposable
{
    private readonly string _dataRoot = Directory.CreateTempSubdirectory("atlas-model-").FullName;
    private readonly string _emptyPath = Directory.CreateTempSubdirectory("atlas-nopath-").FullName;

    [Fact]
    public async Task Declares_every_service_and_the_sandbox_with_their_references_and_waits()
    {
        await using var builder = await CreateAsync();

        var names = builder.Resources.Select(r => r.Name).ToList();
        names.Should().Contain(["redis", "postgres", "rabbitmq", "gatewaydb", "moderationdb", "llmdb", "workflowdb", "backupdb",
            "gateway", "moderation", "llmrouter", "workflow", "backup", "sandbox"]);
        var gateway = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "gateway");
        gateway.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Should().Contain(["gatewaydb", "redis", "rabbitmq", "sandbox"]);
        builder.Resources.OfType<ParameterResource>().Where(p => p.Name.EndsWith("-password", StringComparison.Ordinal) || p.Name.EndsWith("-token", StringComparison.Ordinal) || p.Name.EndsWith("-key", StringComparison.Ordinal))
            .Should().OnlyContain(p => p.Secret, "every generated password, token and key is a secret parameter");
        builder.Resources.OfType<LocalRedisResource>().Should().ContainSingle("redis-server is installed here");
    }

    [Fact]
    public async Task A_configured_connection_string_is_used_instead_of_a_local_server()
    {
        await using var builder = await CreateAsync("--infra-only", "--ConnectionStrings:redis=127.0.0.1:6390,password=x");

        builder.Resources.Single(r => r.Name == "redis").Should().BeAssignableTo<ParameterResource>("a configured server is an Aspire connection string, not a process");
        builder.Resources.OfType<LocalPostgresResource>().Should().ContainSingle();
    }

    [Fact]
    public async Task Without_the_Debian_servers_a_chosen_container_runtime_gets_Aspire_own_container_resources()
    {
        await using var builder = await CreateAsync("--infra-only", "--containers", $"--Atlas:ServerSearchPath={_emptyPath}");

        builder.Resources.Single(r => r.Name == "redis").Should().BeOfType<RedisResource>();
        builder.Resources.Single(r => r.Name == "postgres").Should().BeOfType<PostgresServerResource>();
        builder.Resources.Single(r => r.Name == "rabbitmq").Should().BeOfType<RabbitMQServerResource>();
        builder.Resources.Where(r => r.Name is "redis" or "postgres" or "rabbitmq").Should().OnlyContain(r => r.Annotations.OfType<ContainerImageAnnotation>().Any());
    }

    [Fact]
    public async Task Without_the_servers_or_a_container_runtime_the_start_stops_with_the_package_to_install_and_the_key_to_set()
    {
        var create = () => CreateAsync("--infra-only", $"--Atlas:ServerSearchPath={_emptyPath}");

        var failure = await create.Should().ThrowAsync<Exception>();
        failure.Which.ToString().Should().Contain("sudo apt-get install -y redis-server").And.Contain("ConnectionStrings__redis");
    }

    public void Dispose()
    {
        Directory.Delete(_dataRoot, recursive: true);
        Directory.Delete(_emptyPath, recursive: true);
    }

    private Task<IDistributedApplicationTestingBuilder> CreateAsync(params string[] args) =>
        DistributedApplicationTestingBuilder.CreateAsync<Projects.Atlas_AppHost>(["--data", _dataRoot, "--ephemeral", .. args]);
}
