namespace Atlas.Benchmarks;

/// <summary>
/// Warm-up rounds before anything is measured, so the services run the code they run once deployed for a while:
/// .NET's tiered JIT starts every method unoptimised (then instrumented, then optimised), and on two busy cores its
/// background compiles lag far behind. After each round the load pauses until the JIT has caught up (no method compiled
/// for half a second, or 30 s), and rounds are repeated until one JIT-compiled at most <see cref="SettledMethods"/>
/// methods (every host runs in this process, so the count covers them all), or <paramref name="maxRounds"/> ran.
/// </summary>
internal static class JitWarmUp
{
    public const long SettledMethods = 100;

    public static async Task<(int Rounds, long LastCompiled)> RunAsync(int maxRounds, Func<Task> round)
    {
        ArgumentNullException.ThrowIfNull(round);
        var rounds = 0;
        long compiled;
        do
        {
            var before = System.Runtime.JitInfo.GetCompiledMethodCount();
            await round();
            await CaughtUpAsync();
            compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - before;
        }
        while (++rounds < maxRounds && compiled > SettledMethods);

        return (rounds, compiled);
    }

    private static async Task CaughtUpAsync()
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        var last = System.Runtime.JitInfo.GetCompiledMethodCount();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now == last)
            {
                return;
            }

            last = now;
        }
    }
}
