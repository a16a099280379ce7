using System.Globalization;
using System.Text;

namespace Gatehouse.Bench;

/// <summary>
/// What importing plugins costs against importing services, through the API on Azurite, in one
/// run: control plane A imports N services; control plane B imports the same N services each
/// carrying one plugin (a third each key-auth, rate-limiting and the largest bundled schema a
/// service can carry), so B − A is the N plugins' own cost.
/// </summary>
internal static class PluginImport
{
    public static async Task RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var mix = new[] { "key-auth", "rate-limiting", PluginValidation.LargestOnAService().Schema.Name };
        await using var bench = await BenchApp.StartAsync(2048, TimeSpan.FromMinutes(30));

        Console.WriteLine($"Import through the API against Azurite, {count:N0} plugins against {count:N0} services in the same run. Fair by construction: " +
            $"A imports {count:N0} services; B imports the same {count:N0} services, each with one plugin ({string.Join(", ", mix)} in turn), " +
            "into a fresh control plane of the same app and Azurite, after A; so B − A is the plugins' own cost. " +
            "Both after a 300-service warm-up import (with plugins) into a third control plane. App CPU is this process's (app and bench).");
        await ImportRun.PutAsync(bench, await ImportRun.CreateControlPlaneAsync(bench.Http, "warm-up"), File(300, mix));

        var services = await ImportRun.PutAsync(bench, await ImportRun.CreateControlPlaneAsync(bench.Http, "services"), File(count, []));
        var plugins = await ImportRun.PutAsync(bench, await ImportRun.CreateControlPlaneAsync(bench.Http, "services-with-plugins"), File(count, mix));
        if (services.Count("creating") != count || plugins.Count("creating") != 2 * count)
        {
            throw new InvalidOperationException($"expected {count} and {2 * count} creates, got {services.Count("creating")} and {plugins.Count("creating")}");
        }

        Console.WriteLine($"{"case",-34} {"entities",8} {"commits",7} | {"answered ms",11} {"snapshot ms",11} {"app CPU ms",10} | {"µs/entity: answer",17} {"snapshot",9} {"CPU",7}");
        Print("A: services", count, services.Revision, services.Answered.TotalMilliseconds, services.SnapshotCurrent.TotalMilliseconds, services.AppCpuMilliseconds);
        Print("B: services + plugins", 2 * count, plugins.Revision, plugins.Answered.TotalMilliseconds, plugins.SnapshotCurrent.TotalMilliseconds, plugins.AppCpuMilliseconds);
        Print("B − A: the plugins alone", count, plugins.Revision - services.Revision,
            (plugins.Answered - services.Answered).TotalMilliseconds, (plugins.SnapshotCurrent - services.SnapshotCurrent).TotalMilliseconds,
            plugins.AppCpuMilliseconds - services.AppCpuMilliseconds);
        Console.WriteLine($"plugin / service per-entity ratio: answer {Ratio(plugins.Answered.TotalMilliseconds, services.Answered.TotalMilliseconds):F2}×, " +
            $"snapshot {Ratio(plugins.SnapshotCurrent.TotalMilliseconds, services.SnapshotCurrent.TotalMilliseconds):F2}×, " +
            $"app CPU {Ratio(plugins.AppCpuMilliseconds, services.AppCpuMilliseconds):F2}×");
    }

    /// <summary>(B − A) / A: what a plugin costs for each unit a service costs, both per entity and the same count of each.</summary>
    private static double Ratio(double withPlugins, double servicesOnly) => (withPlugins - servicesOnly) / servicesOnly;

    private static void Print(string name, int entities, long commits, double answered, double snapshot, double cpu) =>
        Console.WriteLine($"{name,-34} {entities,8:N0} {commits,7} | {answered,11:F0} {snapshot,11:F0} {cpu,10:F0} | " +
            $"{answered * 1000 / entities,17:F0} {snapshot * 1000 / entities,9:F0} {cpu * 1000 / entities,7:F0}");

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
