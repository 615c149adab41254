using System.Reflection;

namespace Atlas.AppHost.Hosting;

/// <summary>
/// The build output of every Atlas service, written into this assembly at build time (see AtlasProjectPaths in
/// Atlas.AppHost.csproj), as Aspire's generated <c>Projects</c> types do.
/// </summary>
public static class ProjectCatalog
{
    private const string Prefix = "AtlasProject:";

    public static string PathOf(string projectName) =>
        typeof(ProjectCatalog).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == Prefix + projectName)?.Value
        ?? throw new InvalidOperationException($"{projectName} is not a project the AppHost references; add it to Atlas.AppHost.csproj.");
}
