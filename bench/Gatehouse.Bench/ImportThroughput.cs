using System.Globalization;
using System.Text;

namespace Gatehouse.Bench;

/// <summary>
/// <c>PUT /declarative-config</c> through the API against Azurite: a first import of a large
/// kong.yaml (every entity created), the same file again (nothing to write), and the file with a
/// tenth of its services changed and a tenth removed; for each, the time to the answer, the
/// commits it took, the time until the snapshot pointer stands at the result, and the CPU time
/// the app itself spent (the rest is Azurite's, or waiting).
/// </summary>
internal static class ImportThroughput
{
    public static async Task RunAsync(string[] args)
    {
        var services = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3000;
        await using var bench = await BenchApp.StartAsync(2048, TimeSpan.FromMinutes(10));
        var cp = await ImportRun.CreateControlPlaneAsync(bench.Http, "imports");

        Console.WriteLine($"Import through the API against Azurite: {services:N0} services, each with a route and a plugin ({services * 3:N0} entities).");
        var revision = 0L;
        async Task RunCaseAsync(string name, string file)
        {
            var run = await ImportRun.PutAsync(bench, cp, file);
            Console.WriteLine(
                $"{name,-22} {run.Count("creating"),6} created {run.Count("updating"),6} updated " +
                $"{run.Count("deleting"),6} deleted {run.Count("unchanged"),6} unchanged | " +
                $"answered in {run.Answered.TotalMilliseconds,8:F0} ms, {run.Revision - revision,4} commits | snapshot current after {run.SnapshotCurrent.TotalMilliseconds,8:F0} ms | app CPU {run.AppCpuMilliseconds,7:F0} ms");
            revision = run.Revision;
        }

        await RunCaseAsync("first import", File(services, changedEvery: 0, removedEvery: 0));
        await RunCaseAsync("same file again", File(services, changedEvery: 0, removedEvery: 0));
        await RunCaseAsync("10% changed, 10% gone", File(services, changedEvery: 10, removedEvery: 10));
    }

    private static string File(int services, int changedEvery, int removedEvery)
    {
        var text = new StringBuilder("""{"_format_version":"3.0","services":[""");
        var first = true;
        for (var i = 0; i < services; i++)
        {
            if (removedEvery > 0 && i % removedEvery == removedEvery - 1)
            {
                continue;
            }
            var host = changedEvery > 0 && i % changedEvery == 0 ? $"changed-{i}.internal" : $"svc-{i}.internal";
            text.Append(first ? "" : ",").Append(CultureInfo.InvariantCulture,
                $$$"""{"name":"svc-{{{i}}}","host":"{{{host}}}","routes":[{"name":"route-{{{i}}}","paths":["/svc-{{{i}}}"]}],"plugins":[{"name":"rate-limiting","config":{"minute":{{{i % 100 + 1}}}}}]}""");
            first = false;
        }
        return text.Append("]}").ToString();
    }
}
