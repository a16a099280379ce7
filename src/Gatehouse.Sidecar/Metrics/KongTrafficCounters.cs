using Gatehouse.Core.Analytics;

namespace Gatehouse.Sidecar.Metrics;

/// <summary>
/// Turns scrapes of Kong's Prometheus counters into the traffic between them. The metrics and
/// labels are Kong's (kong/plugins/prometheus/exporter.lua): <c>kong_http_requests_total</c>
/// {service, route, code, source, workspace, consumer}, and <c>kong_request_latency_ms_bucket</c>
/// {service, route, workspace, le}, summed here per service.
/// <para>
/// The first scrape is the baseline and counts nothing: what Kong counted before this sidecar
/// started was reported by the one before it, or is lost. A counter found lower than before means
/// Kong restarted (its counters live in a shared dict that a restart empties), and so does a fall in
/// <c>connections_accepted</c> from <c>GET /status</c>: then every counter is counted from zero, so
/// a restart never makes a negative delta. A series that disappears and comes back counts from zero too.
/// </para>
/// </summary>
internal sealed class KongTrafficCounters
{
    public const string RequestsMetric = "kong_http_requests_total";
    public const string LatencyMetric = "kong_request_latency_ms_bucket";

    private Dictionary<string, double>? _previous;
    private long? _previousAccepted;

    public static bool IsWanted(string metric) => metric is RequestsMetric or LatencyMetric;

    /// <summary>The traffic since the previous scrape; empty for the first.</summary>
    public ServiceTraffic Observe(IReadOnlyList<PrometheusSample> samples, long? connectionsAccepted)
    {
        var current = new Dictionary<string, (PrometheusSample Sample, double Value)>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            if (IsWanted(sample.Name) && double.IsFinite(sample.Value) && sample.Value >= 0)
            {
                // A series listed twice (it should not be) counts once, its last value.
                current[Key(sample)] = (sample, sample.Value);
            }
        }
        var previous = _previous;
        var restarted = connectionsAccepted < _previousAccepted
            || (previous is not null && current.Any(series => previous.TryGetValue(series.Key, out var before) && series.Value.Value < before));
        _previous = current.ToDictionary(series => series.Key, series => series.Value.Value, StringComparer.Ordinal);
        _previousAccepted = connectionsAccepted ?? _previousAccepted;

        var traffic = new ServiceTraffic();
        if (previous is null)
        {
            return traffic;
        }
        var cumulative = new Dictionary<string, (string Service, SortedDictionary<double, long> Buckets)>(StringComparer.Ordinal);
        foreach (var (key, (sample, value)) in current)
        {
            var before = restarted ? 0 : previous.GetValueOrDefault(key);
            var delta = Math.Max(0, (long)Math.Round(value - before));
            var service = sample.Label("service");
            if (sample.Name == RequestsMetric)
            {
                if (delta > 0 && StatusClass.Of(sample.Label("code")) is { } statusClass)
                {
                    traffic.For(service).AddRequests(statusClass, delta);
                }
            }
            else if (LatencyHistogram.TryParseBound(sample.Label("le"), out var bound))
            {
                var series = SeriesKey(sample);
                if (!cumulative.TryGetValue(series, out var histogram))
                {
                    cumulative[series] = histogram = (service, []);
                }
                histogram.Buckets[bound] = delta;
            }
        }
        // Prometheus's buckets are cumulative; ours count each request once, in its bucket.
        // Empty buckets go too, for a series with any new observation: their bounds are where p95's interpolation starts.
        foreach (var (service, buckets) in cumulative.Values.Where(series => series.Buckets.Values.Any(count => count > 0)))
        {
            long below = 0;
            foreach (var (bound, count) in buckets)
            {
                traffic.For(service).Latency.Add(bound, Math.Max(0, count - below));
                below = Math.Max(below, count);
            }
        }
        return traffic;
    }

    /// <summary>A histogram series: its labels but <c>le</c>.</summary>
    private static string SeriesKey(PrometheusSample sample) =>
        string.Join(",", sample.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value.Length}:{l.Value}"));

    private static string Key(PrometheusSample sample) =>
        sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value.Length}:{l.Value}")) + "}";
}
