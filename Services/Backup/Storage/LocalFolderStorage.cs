using Atlas.Backup.Options;
using Microsoft.Extensions.Options;

namespace Atlas.Backup.Storage;

/// <summary>Backups in a folder (<c>Backup:Storage:Path</c>), one sub-folder per target.</summary>
internal sealed class LocalFolderStorage(IOptions<StorageOptions> options) : IBackupStorage
{
    public string Kind => "local";

    public Task<string> PutFileAsync(string name, string localFile, CancellationToken cancellationToken)
    {
        var path = Resolve(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.Move(localFile, path, overwrite: false);
        return Task.FromResult(path);
    }

    public async Task PutTextAsync(string name, string text, CancellationToken cancellationToken)
    {
        var path = Resolve(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, text, cancellationToken).ConfigureAwait(false);
    }

    public Task<LocalCopy> FetchAsync(string name, CancellationToken cancellationToken)
    {
        var path = Resolve(name);
        return File.Exists(path)
            ? Task.FromResult(new LocalCopy(path, temporary: false))
            : throw new FileNotFoundException($"The artifact {name} is missing from {options.Value.Path}.", path);
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        File.Delete(Resolve(name));
        return Task.CompletedTask;
    }

    private string Resolve(string name)
    {
        var root = System.IO.Path.GetFullPath(options.Value.Path!);
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, name));
        return path.StartsWith(root + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException($"The artifact name {name} leaves the storage folder.", nameof(name));
    }
}
