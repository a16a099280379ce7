using System.Globalization;
using System.Text;

namespace Gatehouse.Bench;

/// <summary>
/// What importing plugins costs against importing services, through the API on Azurite, in one
/// run, three fresh control planes of the same app and Azurite: A imports N services; B the same
/// N services each carrying one plugin (key-auth, rate-limiting and the largest bundled schema a
/// service can carry in turn); C 2N services. B − A is the N plugins' own cost; C − A is N more
/// services written at the same places in a partition of about the same size — the fair yardstick,
/// because Azurite's cost per row grows with the rows already in the partition (its Loki store
/// finds a row by scanning the partition), so the entities a file writes last cost it most.
/// </summary>
internal static class PluginImport
{
    public static async Task RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var mix = new[] { "key-auth", "rate-limiting", PluginValidation.LargestOnAService().Schema.Name };
        await using var bench = await BenchApp.StartAsync(2048, TimeSpan.FromMinutes(30));

        Console.WriteLine($"Import through the API against Azurite, {count:N0} plugins against {count:N0} services in the same run, each into a fresh control plane " +
            $"(one Table partition) after a 300-service warm-up import: A = {count:N0} services; B = the same services, each with one plugin " +
            $"({string.Join(", ", mix)} in turn); C = {2 * count:N0} services. B − A is the plugins' cost; C − A, {count:N0} more services written after the same " +
            "first ones, is the yardstick (Azurite's cost per row grows with the partition, so A alone would flatter services). App CPU is this process's (app and bench).");
        await ImportRun.PutAsync(bench, await ImportRun.CreateControlPlaneAsync(bench.Http, "warm-up"), File(300, mix));

        // Each row as its import finishes: at 10,000 the run is long, and a stopped one still says something.
        Console.WriteLine($"{"case",-30} {"entities",8} {"commits",7} | {"answered ms",11} {"snapshot ms",11} {"app CPU ms",10} | {"µs/entity: answer",17} {"snapshot",9} {"CPU",7}");
        var services = await ImportAsync(bench, "services", File(count, []), count);
        Print("A: services", count, services);
        var plugins = await ImportAsync(bench, "services-with-plugins", File(count, mix), 2 * count);
        Print("B: services + plugins", 2 * count, plugins);
        var twice = await ImportAsync(bench, "twice-the-services", File(2 * count, []), 2 * count);
        Print("C: twice the services", 2 * count, twice);
        var pluginsAlone = Print("B − A: the plugins", count, Minus(plugins, services));
        var moreServices = Print("C − A: as many more services", count, Minus(twice, services));
        Console.WriteLine($"plugin / service per-entity cost, (B − A) / (C − A): answer {Ratio(pluginsAlone.Answered, moreServices.Answered)}, " +
            $"snapshot {Ratio(pluginsAlone.Snapshot, moreServices.Snapshot)}, app CPU {Ratio(pluginsAlone.Cpu, moreServices.Cpu)}");
    }

    /// <summary>A yardstick of zero or less is noise (A's import also paid for the app warming up), not a cost to divide by.</summary>
    private static string Ratio(double plugin, double service) =>
        service > 0 ? (plugin / service).ToString("F2", CultureInfo.InvariantCulture) + "×" : "n/a (C − A ≤ 0: noise)";

    private sealed record Figures(long Commits, double Answered, double Snapshot, double Cpu);

    private static async Task<Figures> ImportAsync(BenchApp bench, string name, string file, int creates)
    {
        var run = await ImportRun.PutAsync(bench, await ImportRun.CreateControlPlaneAsync(bench.Http, name), file);
        if (run.Count("creating") != creates)
        {
            throw new InvalidOperationException($"{name}: expected {creates} creates, got {run.Count("creating")}");
        }
        return new Figures(run.Revision, run.Answered.TotalMilliseconds, run.SnapshotCurrent.TotalMilliseconds, run.AppCpuMilliseconds);
    }

    private static Figures Minus(Figures a, Figures b) => new(a.Commits - b.Commits, a.Answered - b.Answered, a.Snapshot - b.Snapshot, a.Cpu - b.Cpu);

    private static Figures Print(string name, int entities, Figures f)
    {
        Console.WriteLine($"{name,-30} {entities,8:N0} {f.Commits,7} | {f.Answered,11:F0} {f.Snapshot,11:F0} {f.Cpu,10:F0} | " +
            $"{f.Answered * 1000 / entities,17:F0} {f.Snapshot * 1000 / entities,9:F0} {f.Cpu * 1000 / entities,7:F0}");
        return f with { Answered = f.Answered / entities, Snapshot = f.Snapshot / entities, Cpu = f.Cpu / entities };
    }

    /// <summary>A kong.yaml (as JSON) of that many services, each carrying the next plugin of <paramref name="mix"/>, if any.</summary>
    private static string File(int services, string[] mix)
    {
        var text = new StringBuilder("""{"_format_version":"3.0","services":[""");
        for (var i = 0; i < services; i++)
        {
            var plugins = mix.Length == 0 ? "" :
                $$$""","plugins":[{"name":"{{{mix[i % mix.Length]}}}","config":{{{PluginValidation.MinimalConfig(mix[i % mix.Length])}}}}]""";
            text.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $$$"""{"name":"svc-{{{i}}}","host":"svc-{{{i}}}.internal"{{{plugins}}}}""");
        }
        return text.Append("]}").ToString();
    }
}
