using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gatehouse.Core.Composition;
using Microsoft.Extensions.DependencyInjection;

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
        var http = bench.Http;
        var snapshots = bench.Services.GetRequiredService<ISnapshotStore>();
        using var created = await http.PostAsync("/v2/control-planes", new StringContent("""{"name":"imports"}""", Encoding.UTF8, "application/json"));
        var cp = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        Console.WriteLine($"Import through the API against Azurite: {services:N0} services, each with a route and a plugin ({services * 3:N0} entities).");
        var revision = 0L;
        async Task RunCaseAsync(string name, string file)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            using var response = await http.PutAsync($"/v2/control-planes/{cp}/declarative-config", new StringContent(file, Encoding.UTF8, "application/json"));
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{name}: {(int)response.StatusCode} {body[..Math.Min(300, body.Length)]}");
            }
            var answered = clock.Elapsed;
            var result = JsonDocument.Parse(body).RootElement;
            var after = result.GetProperty("revision").GetInt64();
            while ((await snapshots.GetPointerAsync(Guid.Parse(cp), CancellationToken.None))?.Revision < after)
            {
                await Task.Delay(5);
            }
            var summary = result.GetProperty("summary");
            // Where the time goes: this process (the app: parse, plan, validate, serialize) against Azurite's.
            var appCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            Console.WriteLine(
                $"{name,-22} {summary.GetProperty("creating").GetInt32(),6} created {summary.GetProperty("updating").GetInt32(),6} updated " +
                $"{summary.GetProperty("deleting").GetInt32(),6} deleted {summary.GetProperty("unchanged").GetInt32(),6} unchanged | " +
                $"answered in {answered.TotalMilliseconds,8:F0} ms, {after - revision,4} commits | snapshot current after {clock.Elapsed.TotalMilliseconds,8:F0} ms | app CPU {appCpu,7:F0} ms");
            revision = after;
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
