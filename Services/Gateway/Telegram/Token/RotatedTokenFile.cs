using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Atlas.Gateway.Telegram.Token;

/// <summary>
/// Where a rotated bot token outlives a restart: a small JSON file readable and writable by the gateway's user only
/// (0600), at <see cref="TelegramOptions.RotatedTokenFile"/>. Besides the token it keeps a SHA-256 of the configured
/// token the rotation replaced, so the file wins only while the configuration still holds that old token: once an
/// operator configures a token of their own, configuration wins again. Written to a temporary file and moved into
/// place, so a crash never leaves half a token. Not in PostgreSQL on purpose: database backups would carry it.
/// </summary>
internal sealed class RotatedTokenFile(IOptions<TelegramOptions> options)
{
    private static readonly UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The file's path, or null when rotated tokens are not kept.</summary>
    public string? Path { get; } = string.IsNullOrWhiteSpace(options.Value.RotatedTokenFile) ? null : options.Value.RotatedTokenFile;

    /// <summary>The token to use at start: the rotated one when it replaced <paramref name="configured"/> (or equals it), else null.</summary>
    public string? TokenFor(string configured)
    {
        if (Path is null || !File.Exists(Path))
        {
            return null;
        }

        var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllBytes(Path), JsonSerializerOptions.Web);
        if (stored?.Token is not { Length: > 0 } token)
        {
            return null;
        }

        return token == configured || string.Equals(stored.Replaces, Fingerprint(configured), StringComparison.Ordinal) ? token : null;
    }

    /// <summary>Keeps <paramref name="token"/> as the replacement of <paramref name="configured"/>. Throws <see cref="IOException"/> when it cannot.</summary>
    public async Task SaveAsync(string token, string configured, DateTimeOffset rotatedAt, CancellationToken cancellationToken)
    {
        if (Path is null)
        {
            return;
        }

        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(directory);
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.tmp");
        var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            file.UnixCreateMode = OwnerOnly;
        }

        try
        {
            await using (var stream = new FileStream(temporary, file))
            {
                await JsonSerializer.SerializeAsync(stream, new Stored(token, Fingerprint(configured), rotatedAt), JsonSerializerOptions.Web, cancellationToken)
                    .ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static string Fingerprint(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private sealed record Stored(string? Token, string? Replaces, DateTimeOffset RotatedAt);
}
