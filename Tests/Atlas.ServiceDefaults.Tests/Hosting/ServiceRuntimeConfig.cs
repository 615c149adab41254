using System.Text.Json;
using Atlas.Testing;

namespace Atlas.ServiceDefaults.Tests.Hosting;

/// <summary>
/// Every service is built so its idle thread-pool workers block instead of spinning (docs/operations.md, "Runtime
/// settings of the services"): the setting travels in each service's runtimeconfig.json, which is what a deployment
/// runs with, so that file is what is checked, for each web project under Services/.
/// </summary>
public sealed class ServiceRuntimeConfig
{
    private const string SpinLimit = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";

    [Fact]
    public void Every_service_is_built_with_thread_pool_spinning_off_and_server_gc()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var services = Directory.GetFiles(Path.Combine(RepositoryFolder.Root, "Services"), "*.csproj", SearchOption.AllDirectories)
            .Where(project => File.ReadAllText(project).Contains("Microsoft.NET.Sdk.Web", StringComparison.Ordinal))
            .ToList();
        services.Should().HaveCountGreaterThanOrEqualTo(6, "the gateway, Moderation, LlmRouter, Workflow, Backup and the Sandbox are web projects");

        foreach (var project in services)
        {
            var name = Path.GetFileNameWithoutExtension(project);
            var file = Path.Combine(Path.GetDirectoryName(project)!, "bin", configuration, framework, name + ".runtimeconfig.json");
            File.Exists(file).Should().BeTrue("the solution is built before its tests run ({0})", file);
            using var config = JsonDocument.Parse(File.ReadAllText(file));
            var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
            properties.TryGetProperty(SpinLimit, out var spin).Should().BeTrue("{0} sets {1}", name, SpinLimit);
            spin.GetInt32().Should().Be(0, "{0}'s idle workers block at once", name);
            properties.GetProperty("System.GC.Server").GetBoolean().Should().BeTrue("{0} runs with server GC", name);
        }
    }
}
