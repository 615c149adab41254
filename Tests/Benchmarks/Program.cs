using Atlas.Benchmarks;

var options = BenchmarkOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

await BusRoundTripBenchmark.RunAsync(options);
return 0;
