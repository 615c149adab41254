using System.Text;
using Atlas.AppHost.Hosting;

namespace Atlas.AppHost.Audit;

/// <summary>
/// The AppHost's own part of the ops audit log: actions that call no service (chaos drills, watchdog restarts, the
/// upgrade verbs as a whole) as JSON Lines in <see cref="FileName"/> in the data folder. The file is private (mode 600)
/// and only ever opened to append, one whole line per write, so the AppHost and command-line verbs may write at once.
/// <c>audit export</c> merges it with every service's log.
/// </summary>
internal sealed class AppHostAuditFile(string dataRoot, TimeProvider time)
{
    public const string FileName = "ops-audit.jsonl";
    private static readonly Lock Gate = new();

    public string Path { get; } = System.IO.Path.Combine(dataRoot, FileName);

    /// <summary>Appends one finished action; returns false (the caller logs it) when the file cannot be written.</summary>
    public bool Append(AuditCaller caller, string action, string? target, bool succeeded, string? detail)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var now = time.GetUtcNow();
        var line = new AuditLine(0, now, AuditLine.AppHostService, caller.Actor, caller.Source, action, target,
            succeeded ? "succeeded" : "failed", null, Cut(detail), now);
        var bytes = Encoding.UTF8.GetBytes(line.ToJson() + "\n");
        try
        {
            lock (Gate)
            {
                var created = !File.Exists(Path);
                using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                if (created)
                {
                    PrivateFile.Restrict(Path);
                }

                stream.Write(bytes);
            }

            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The file's rows with <paramref name="from"/> &lt;= at &lt; <paramref name="to"/>, oldest first, numbered by line.</summary>
    public IReadOnlyList<AuditLine> Read(DateTimeOffset? from, DateTimeOffset? to)
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var lines = new List<AuditLine>();
        var number = 0L;
        while (reader.ReadLine() is { } text)
        {
            number++;
            if (AuditLine.Parse(text) is { } line && (from is null || line.At >= from) && (to is null || line.At < to))
            {
                lines.Add(line with { Id = number });
            }
        }

        return [.. lines.OrderBy(l => l.At).ThenBy(l => l.Id)];
    }

    private static string? Cut(string? detail) =>
        detail is null ? null : detail.Length <= 500 ? detail : detail[..499] + "…";
}
