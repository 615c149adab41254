using System.Xml.Linq;

namespace Atlas.AppHost.Deploy;

/// <summary>How a deployed service gets one environment variable.</summary>
internal enum SettingKind
{
    /// <summary>A fixed value from the model (ConfigMap / compose <c>environment</c>).</summary>
    Literal,

    /// <summary>A non-secret value the deployment supplies (a placeholder in the ConfigMap, a required variable in compose).</summary>
    Setting,

    /// <summary>A secret the deployment supplies (a placeholder in the service's Secret).</summary>
    Secret,

    /// <summary>A managed server's connection string (a key of the shared <c>atlas-connections</c> Secret).</summary>
    ConnectionString,
}

/// <summary>One environment variable: for <see cref="SettingKind.Literal"/> the value, else the parameter or connection name.</summary>
internal sealed record Setting(string Key, SettingKind Kind, string Value)
{
    public string Placeholder => $"<set {Value}>";
}

/// <summary>A service as it is deployed: its image (from its project's container properties) and its environment contract.</summary>
internal sealed record DeployedService(string Name, string Image, IReadOnlyList<Setting> Environment)
{
    /// <summary>The port every service listens on in its container (the .NET images' default, ASPNETCORE_HTTP_PORTS).</summary>
    public const int Port = 8080;

    /// <summary><c>ContainerRepository:ContainerImageTag</c> from the project file (the SDK's container publishing properties).</summary>
    public static string ImageOf(ProjectResource project)
    {
        var path = project.GetProjectMetadata().ProjectPath;
        var document = XDocument.Load(path);
        string? Property(string name) => document.Descendants(name).Select(e => e.Value.Trim()).FirstOrDefault(v => v.Length > 0);
        return $"{Property("ContainerRepository") ?? "atlas-" + project.Name}:{Property("ContainerImageTag") ?? "latest"}";
    }
}
