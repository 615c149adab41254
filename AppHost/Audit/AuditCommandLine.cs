using System.Globalization;

namespace Atlas.AppHost.Audit;

/// <summary>What <c>audit export</c> asks for: the range (either end open) and where to write, for the stack of <see cref="DataRoot"/>.</summary>
internal sealed record AuditInvocation(string DataRoot, DateTimeOffset? From, DateTimeOffset? To, string? Output);

/// <summary>
/// <c>audit export [--from &lt;instant&gt;] [--to &lt;instant&gt;] [--output &lt;file&gt;]</c> on the AppHost's command line; the
/// rest (<c>--data</c>, the environment) goes through <see cref="AtlasOptions.Parse"/> to find the same data folder.
/// </summary>
internal static class AuditCommandLine
{
    public const string Usage = """
        Usage: dotnet run --project AppHost -- audit export [--from <instant>] [--to <instant>] [--output <file>] [--data <folder>]
          Every service's ops audit log and the AppHost's own, merged into one time-ordered JSON Lines stream
          (stdout unless --output). --from is inclusive, --to exclusive, both ISO 8601 (2026-03-02T05:00:00Z).
        """;

    public static bool TryParse(string[] args, out AuditInvocation? invocation, out string? error)
    {
        invocation = null;
        error = null;
        if (args.Length == 0 || args[0] != "audit")
        {
            return false;
        }

        if (args.Length < 2 || args[1] != "export")
        {
            error = "audit needs a verb: export.\n" + Usage;
            return true;
        }

        DateTimeOffset? from = null, to = null;
        string? output = null;
        var rest = new List<string>();
        for (var i = 2; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--from" or "--to" when i + 1 < args.Length:
                    if (!DateTimeOffset.TryParse(args[i + 1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
                    {
                        error = $"{args[i]} takes an ISO 8601 instant such as 2026-03-02T05:00:00Z, not '{args[i + 1]}'.\n" + Usage;
                        return true;
                    }

                    if (args[i] == "--from")
                    {
                        from = at;
                    }
                    else
                    {
                        to = at;
                    }

                    i++;
                    break;
                case "--output" when i + 1 < args.Length: output = args[++i]; break;
                case "--help" or "-h": error = Usage; return true;
                default: rest.Add(args[i]); break;
            }
        }

        if (from > to)
        {
            error = "--from must not be after --to.\n" + Usage;
            return true;
        }

        var options = AtlasOptions.Parse([.. rest], out var optionsError);
        if (optionsError is not null)
        {
            error = optionsError;
            return true;
        }

        invocation = new AuditInvocation(options.DataRoot, from, to, output);
        return true;
    }
}
