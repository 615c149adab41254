namespace Atlas.AppHost.Ops;

/// <summary>What an ops verb asks for: the smoke test or a playbook step, against the stack of <see cref="DataRoot"/>.</summary>
internal sealed record OpsInvocation(OpsVerb Verb, string DataRoot, bool Force, TimeSpan StepTimeout);

public enum OpsVerb
{
    Smoke,
    Prepare,
    Verify,
    Resume,
}

/// <summary>
/// The ops verbs on the AppHost's command line: <c>smoke</c> and <c>upgrade prepare|verify|resume</c>. Their own
/// switches are <c>--force</c> (playbook steps) and <c>--step-timeout &lt;seconds&gt;</c>; the rest (<c>--data</c>, and
/// whatever else picks the stack's data folder) goes through <see cref="AtlasOptions.Parse"/>, so a verb finds the
/// same folder the running AppHost uses.
/// </summary>
internal static class OpsCommandLine
{
    public const string Usage = """
        Usage: dotnet run --project AppHost -- smoke [--data <folder>] [--step-timeout <seconds>]
               dotnet run --project AppHost -- upgrade prepare|verify|resume [--force] [--data <folder>]
          smoke            /start, /groups, knowledge search, workflow launch and an LLM answer against the running stack
                           (the one whose data folder is given), or against an ephemeral stack started for it
          upgrade prepare  freeze inbound, take an emergency backup, warm the workflow caches
          upgrade verify   smoke test, handler successes counted, LLM provider healthy
          upgrade resume   unfreeze inbound (after verify; --force resumes from any state)
          --force          run a playbook step out of order (abandon or redo an upgrade)
        """;

    /// <summary>True when <paramref name="args"/> start with an ops verb; then either an invocation or an error (with usage).</summary>
    public static bool TryParse(string[] args, out OpsInvocation? invocation, out string? error)
    {
        invocation = null;
        error = null;
        if (args.Length == 0 || args[0] is not ("smoke" or "upgrade"))
        {
            return false;
        }

        var verb = OpsVerb.Smoke;
        var first = 1;
        if (args[0] == "upgrade")
        {
            if (args.Length < 2 || ParseStep(args[1]) is not { } step)
            {
                error = $"upgrade needs a step: prepare, verify or resume{(args.Length < 2 ? "" : $" (not '{args[1]}')")}.\n" + Usage;
                return true;
            }

            verb = step;
            first = 2;
        }

        var force = false;
        var timeout = TimeSpan.FromSeconds(60);
        var rest = new List<string>();
        for (var i = first; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--force" when verb != OpsVerb.Smoke: force = true; break;
                case "--step-timeout" when i + 1 < args.Length:
                    if (!double.TryParse(args[++i], System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
                    {
                        error = $"--step-timeout takes a number of seconds above 0, not '{args[i]}'.\n" + Usage;
                        return true;
                    }

                    timeout = TimeSpan.FromSeconds(seconds);
                    break;
                case "--help" or "-h": error = Usage; return true;
                default: rest.Add(args[i]); break;
            }
        }

        var options = AtlasOptions.Parse([.. rest], out var optionsError);
        if (optionsError is not null)
        {
            error = optionsError;
            return true;
        }

        invocation = new OpsInvocation(verb, options.DataRoot, force, timeout);
        return true;
    }

    private static OpsVerb? ParseStep(string step) => step switch
    {
        "prepare" => OpsVerb.Prepare,
        "verify" => OpsVerb.Verify,
        "resume" => OpsVerb.Resume,
        _ => null,
    };
}
