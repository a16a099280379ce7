using Gatehouse.Bench;

var benchmarks = new Dictionary<string, Func<string[], Task>>(StringComparer.OrdinalIgnoreCase)
{
    ["storage"] = StorageClientOverhead.RunAsync,
    ["api-creates"] = ApiCreateThroughput.RunAsync,
    ["recompose-latency"] = RecomposeLatency.RunAsync,
    ["compose"] = ComposeGroup.RunAsync,
    ["group-latency"] = GroupLatency.RunAsync,
    ["import"] = ImportThroughput.RunAsync,
    ["sidecars"] = SidecarFanOut.RunAsync,
    ["versions"] = VersionHistory.RunAsync,
    ["access"] = AccessCost.RunAsync,
    ["overview"] = OverviewSummary.RunAsync,
    ["kong-apply"] = KongApply.RunAsync,
    ["sweep"] = SweepDuration.RunAsync,
    ["plugins"] = args =>
    {
        PluginValidation.Run();
        Console.WriteLine();
        return PluginImport.RunAsync(args);
    },
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: Gatehouse.Bench <{string.Join('|', benchmarks.Keys)}> [options]");
    return 2;
}
await run(args[1..]);
return 0;
