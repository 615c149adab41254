using System.Security.Cryptography;
using System.Text.Json;


namespace Atlas.AppHost.Hosting;

/// <summary>
/// The AppHost's data folder: one sub-folder per resource, generated secrets (mode 600) and the ports used last
/// time, so a persistent stack comes back on the same ports with the same passwords.
/// </summary>
public sealed class DataFolder
{
    private readonly string _stateFile;
    private readonly Dictionary<string, string> _state;
    private readonly Lock _gate = new();

    public DataFolder(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
        if (Posix.IsRoot)
        {
            // Servers drop to their own users and must be able to enter their folders.
            File.SetUnixFileMode(Root, (UnixFileMode)0b111_101_101);
        }

        _stateFile = Path.Combine(Root, "apphost-state.json");
        _state = File.Exists(_stateFile)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(_stateFile)) ?? []
            : [];
    }

    public string Root { get; }

    /// <summary>
    /// Holds the folder for this process (an exclusive lock on <c>apphost.lock</c>); a second AppHost on the same
    /// folder gets a clear error instead of fighting over the servers' data.
    /// </summary>
    public IDisposable Lock()
    {
        try
        {
            return new FileStream(Path.Combine(Root, "apphost.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException exception)
        {
            throw new InvalidOperationException($"Another AppHost is using {Root}. Stop it first, or give this one another data folder (--data).", exception);
        }
    }

    /// <summary>Overrides the folder the environments' data folders are made in.</summary>
    public const string HomeVariable = "ATLAS_DATA_HOME";

    /// <summary>
    /// The environment's folder under <c>ATLAS_DATA_HOME</c>, else under the local application data folder, or
    /// <c>/var/lib/atlas</c> for root: the server processes run as their own users (postgres, rabbitmq) and cannot
    /// enter root's home.
    /// </summary>
    public static string DefaultRoot(string environment) => Path.Combine(
        Environment.GetEnvironmentVariable(HomeVariable) is { Length: > 0 } home ? home
        : Posix.IsRoot ? "/var/lib/atlas"
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "atlas"),
        environment);

    /// <summary>A resource's own folder, created on first use.</summary>
    public string For(string resourceName) => Directory.CreateDirectory(Path.Combine(Root, resourceName)).FullName;

    /// <summary>A generated password kept across runs (32 URL-safe characters).</summary>
    public string Secret(string name) => GetOrAdd($"secret:{name}", () =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', 'x').Replace('/', 'y'));

    /// <summary>A generated secret of a particular shape (<paramref name="create"/>), kept across runs.</summary>
    public string Secret(string name, Func<string> create) => GetOrAdd($"secret:{name}", create);

    /// <summary>The port this endpoint had last time when it is still free, else a new free port.</summary>
    public int Port(string endpointName)
    {
        lock (_gate)
        {
            if (_state.TryGetValue($"port:{endpointName}", out var text) && int.TryParse(text, out var last) && FreePort.IsFree(last))
            {
                return last;
            }

            var port = FreePort.Next();
            _state[$"port:{endpointName}"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Save();
            return port;
        }
    }

    private string GetOrAdd(string key, Func<string> create)
    {
        lock (_gate)
        {
            if (!_state.TryGetValue(key, out var value))
            {
                value = create();
                _state[key] = value;
                Save();
            }

            return value;
        }
    }

    private void Save()
    {
        File.WriteAllText(_stateFile, JsonSerializer.Serialize(_state));
        PrivateFile.Restrict(_stateFile);
    }
}
