using System.Diagnostics;
using System.Text.Json;
using Gatehouse.Core.Composition;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Bench;

/// <summary>
/// One <c>PUT /declarative-config</c> through the API, timed to its answer and to the snapshot
/// pointer standing at the revision it answered, with the CPU time this process (the app: parse,
/// plan, validate, serialize) spent meanwhile; the rest is Azurite's, or waiting.
/// </summary>
internal sealed record ImportRun(JsonElement Summary, long Revision, TimeSpan Answered, TimeSpan SnapshotCurrent, double AppCpuMilliseconds)
{
    public int Count(string change) => Summary.GetProperty(change).GetInt32();

    public static async Task<string> CreateControlPlaneAsync(HttpClient http, string name)
    {
        using var created = await http.PostAsync("/v2/control-planes", JsonBody.Of(JsonSerializer.Serialize(new { name })));
        var body = await created.Content.ReadAsStringAsync();
        if (!created.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"control plane {name}: {(int)created.StatusCode} {body}");
        }
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<ImportRun> PutAsync(BenchApp bench, string controlPlane, string file)
    {
        var snapshots = bench.Services.GetRequiredService<ISnapshotStore>();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        using var response = await bench.Http.PutAsync($"/v2/control-planes/{controlPlane}/declarative-config", JsonBody.Of(file));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"import: {(int)response.StatusCode} {body[..Math.Min(300, body.Length)]}");
        }
        var answered = clock.Elapsed;
        var result = JsonDocument.Parse(body).RootElement;
        var revision = result.GetProperty("revision").GetInt64();
        while ((await snapshots.GetPointerAsync(Guid.Parse(controlPlane), CancellationToken.None))?.Revision < revision)
        {
            await Task.Delay(5);
        }
        return new ImportRun(result.GetProperty("summary").Clone(), revision, answered, clock.Elapsed,
            (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
    }
}
