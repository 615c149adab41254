using Microsoft.Extensions.Configuration;

namespace Atlas.AppHost.Hosting;

/// <summary>How one AppHost run behaves. The defaults are those of <c>dotnet run --project AppHost</c>.</summary>
public sealed record AppHostOptions
{
    /// <summary>Where local servers keep their data; reused across runs unless <see cref="Persistent"/> is false.</summary>
    public string DataRoot { get; init; } = DataFolder.DefaultRoot();

    /// <summary>False for test runs: data lives in a temp folder, durability settings are relaxed, and the folder is removed at the end.</summary>
    public bool Persistent { get; init; } = true;

    /// <summary>Echo every resource's console output with its name in front.</summary>
    public bool EchoResourceLogs { get; init; } = true;

    /// <summary><c>ASPNETCORE_ENVIRONMENT</c> given to the services.</summary>
    public string EnvironmentName { get; init; } = "Development";

    /// <summary>Where to look for server programs; null means the PATH environment variable.</summary>
    public string? SearchPath { get; init; }

    /// <summary>How long one resource may take to become healthy.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>The AppHost's own configuration: connection strings and parameters given to it.</summary>
    public IConfiguration Configuration { get; init; } = new ConfigurationBuilder().Build();
}
