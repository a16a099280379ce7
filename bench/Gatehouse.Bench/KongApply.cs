using System.Diagnostics;
using System.Globalization;
using System.Text;
using Gatehouse.Sidecar.Kong;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Bench;

/// <summary>
/// What the sidecar's <c>POST /config</c> to Kong costs it for a large config: bytes allocated and
/// time per apply, against a local endpoint that only drains the body (so the figures are the
/// sidecar's, not a Kong's). The sidecar runs on the gateway node, often in a container with a
/// memory limit, and holds the config it fetched while it applies it. Argument: the config's size
/// in MB (29, the <c>compose</c> group snapshot's).
/// </summary>
internal static class KongApply
{
    public static async Task RunAsync(string[] args)
    {
        var megabytes = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 29;
        var config = Config((int)(megabytes * 1024 * 1024));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        await using var sink = builder.Build();
        long received = 0;
        var drain = new byte[64 * 1024];
        sink.MapPost("/config", async (HttpContext context) =>
        {
            long length = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(drain)) > 0)
            {
                length += read;
            }
            Interlocked.Exchange(ref received, length);
            context.Response.StatusCode = 201;
        });
        await sink.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(sink.Urls.First() + "/"), Timeout = TimeSpan.FromMinutes(5) };
        var kong = new KongAdminClient(http);

        await kong.ApplyAsync(Config(4096), CancellationToken.None);
        await kong.ApplyAsync(config, CancellationToken.None);
        const int applies = 5;
        var allocated = new List<double>(applies);
        var times = new List<double>(applies);
        for (var i = 0; i < applies; i++)
        {
            GC.Collect();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var started = Stopwatch.GetTimestamp();
            if (await kong.ApplyAsync(config, CancellationToken.None) is not KongApplyResult.Applied)
            {
                throw new InvalidOperationException("the apply was not taken");
            }
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            allocated.Add((GC.GetTotalAllocatedBytes(precise: true) - before) / 1048576.0);
        }
        Console.WriteLine($"POST /config of a {config.Length / 1048576.0:F1}-MB config ({Interlocked.Read(ref received) / 1048576.0:F1} MB sent), {applies} applies to an endpoint that drains the body:");
        var p50 = Percentile.OfUnsorted(allocated, 0.5);
        Console.WriteLine($"allocated per apply: p50 {p50:F1} MB, {p50 * 1024:F0} KB ({p50 * 1048576 / config.Length:F3}x the config)   " +
            $"time per apply: p50 {Percentile.OfUnsorted(times, 0.5):F0} ms");
    }

    /// <summary>About <paramref name="bytes"/> of declarative config, services with quoted, escaped and non-ASCII text as real ones have.</summary>
    private static byte[] Config(int bytes)
    {
        var text = new StringBuilder("""{"_format_version":"3.0","services":[""", bytes + 512);
        for (var i = 0; text.Length < bytes; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $$"""{"id":"{{new Guid(i, 0, 0, new byte[8])}}","name":"svc-{{i}}","host":"backend-{{i}}.internal","port":8080,"protocol":"http","retries":5,"connect_timeout":60000,"tags":["équipe","line\nbreak","quote\"d"],"path":"/a\\b"}""");
        }
        return Encoding.UTF8.GetBytes(text.Append("]}").ToString());
    }
}
