namespace Atlas.Backup.Storage;

/// <summary>Where artifacts and manifests are kept. Names are relative (<c>gatewaydb/20261201T060000Z-…atlasbak</c>).</summary>
public interface IBackupStorage
{
    string Kind { get; }

    /// <summary>Stores a finished local file under <paramref name="name"/> (the file is consumed); returns its location.</summary>
    Task<string> PutFileAsync(string name, string localFile, CancellationToken cancellationToken);

    Task PutTextAsync(string name, string text, CancellationToken cancellationToken);

    /// <summary>A local copy of the object to read; dispose it when done.</summary>
    Task<LocalCopy> FetchAsync(string name, CancellationToken cancellationToken);

    Task DeleteAsync(string name, CancellationToken cancellationToken);
}

/// <summary>A readable local file; deleted on dispose when it is a temporary download.</summary>
public sealed class LocalCopy(string path, bool temporary) : IDisposable
{
    public string Path { get; } = path;

    public void Dispose()
    {
        if (temporary)
        {
            File.Delete(Path);
        }
    }
}
