namespace Atlas.AppHost.Processes;

/// <summary>
/// The console output of one resource: the last lines kept in memory (tests and failure messages read them) and,
/// when the AppHost runs interactively, echoed with the resource name in front.
/// </summary>
public sealed class ResourceLog(string resourceName, bool echo, int capacity = 400)
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }

        if (echo)
        {
            Console.Out.WriteLine($"[{resourceName}] {line}");
        }
    }

    /// <summary>The last <paramref name="count"/> lines, oldest first.</summary>
    public IReadOnlyList<string> Tail(int count = 40)
    {
        lock (_gate)
        {
            return [.. _lines.Skip(Math.Max(0, _lines.Count - count))];
        }
    }
}
