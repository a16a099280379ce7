using System.Text.Json;

namespace Gatehouse.Core.Analytics;

/// <summary>
/// Traffic per service as the heartbeat's <c>metrics.services</c> carries it and the analytics
/// table stores it: <c>[{"service": name, "requests": {"2xx": n, …}, "latency_ms": {"le": n, …, "+Inf": n}}]</c>,
/// zero request counts left out. Latency counts are per bucket (each observation in the one bucket whose
/// upper bound is the least at or above it), not cumulative as Prometheus's are.
/// </summary>
public static class TrafficJson
{
    public static void Write(Utf8JsonWriter writer, ServiceTraffic traffic)
    {
        writer.WriteStartArray();
        foreach (var (service, counts) in traffic.Services)
        {
            if (counts.IsEmpty)
            {
                continue;
            }
            writer.WriteStartObject();
            writer.WriteString("service", service);
            writer.WriteStartObject("requests");
            foreach (var (statusClass, count) in counts.ByClass)
            {
                writer.WriteNumber(statusClass, count);
            }
            writer.WriteEndObject();
            writer.WriteStartObject("latency_ms");
            foreach (var (bound, count) in counts.Latency.Buckets)
            {
                writer.WriteNumber(LatencyHistogram.BoundText(bound), count);
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    public static string Write(ServiceTraffic traffic)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, traffic);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads what <see cref="Write(ServiceTraffic)"/> wrote; what does not fit the shape is skipped.</summary>
    public static ServiceTraffic Read(JsonElement services)
    {
        var traffic = new ServiceTraffic();
        if (services.ValueKind != JsonValueKind.Array)
        {
            return traffic;
        }
        foreach (var item in services.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("service", out var name) || name.ValueKind != JsonValueKind.String)
            {
                continue;
            }
            var counts = traffic.For(name.GetString()!);
            if (item.TryGetProperty("requests", out var requests) && requests.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in requests.EnumerateObject())
                {
                    if (StatusClass.IsKnown(entry.Name) && entry.Value.TryGetInt64(out var count))
                    {
                        counts.AddRequests(entry.Name, count);
                    }
                }
            }
            if (item.TryGetProperty("latency_ms", out var latency) && latency.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in latency.EnumerateObject())
                {
                    if (LatencyHistogram.TryParseBound(entry.Name, out var bound) && entry.Value.TryGetInt64(out var count))
                    {
                        counts.Latency.Add(bound, count);
                    }
                }
            }
        }
        return traffic;
    }

    public static ServiceTraffic Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement);
    }
}
