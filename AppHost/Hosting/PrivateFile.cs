namespace Atlas.AppHost.Hosting;

/// <summary>Files that hold a password: readable and writable by their owner only.</summary>
internal static class PrivateFile
{
    public static async Task WriteAsync(string path, string contents, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path, contents, cancellationToken).ConfigureAwait(false);
        Restrict(path);
    }

    public static void Restrict(string path) => File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
}
