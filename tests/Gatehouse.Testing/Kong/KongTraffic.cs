using System.Globalization;
using System.Text;

namespace Gatehouse.Testing.Kong;

/// <summary>
/// The Prometheus plugin's counters of a stand-in Kong, which a test drives: requests counted per
/// service, route and status code, and their latencies observed into Kong's histograms. Written
/// as the plugin writes them (kong/plugins/prometheus/exporter.lua: metric names, label order and
/// buckets; prometheus.lua: <c>le</c> last, <c>+Inf</c>, then <c>_count</c> and <c>_sum</c>).
/// </summary>
public sealed class KongTraffic
{
    /// <summary>exporter.lua <c>UPSTREAM_LATENCY_BUCKETS</c>, which <c>request_latency_ms</c> uses.</summary>
    public static readonly IReadOnlyList<double> RequestLatencyBuckets = [25, 50, 80, 100, 250, 400, 700, 1000, 2000, 5000, 10000, 30000, 60000];

    /// <summary>exporter.lua <c>KONG_LATENCY_BUCKETS</c>.</summary>
    public static readonly IReadOnlyList<double> KongLatencyBuckets = [1, 2, 5, 7, 10, 15, 20, 30, 50, 75, 100, 200, 500, 750, 1000, 3000, 6000];

    private readonly Lock _lock = new();
    private readonly SortedDictionary<(string Service, string Route, int Code), long> _requests = [];
    private readonly SortedDictionary<(string Service, string Route), Histogram> _requestLatency = [];
    private readonly SortedDictionary<(string Service, string Route), Histogram> _kongLatency = [];

    /// <summary>False: Kong without the Prometheus plugin, whose <c>GET /metrics</c> is a 404.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Counts <paramref name="count"/> requests to <paramref name="service"/> (its name; "" for none,
    /// as Kong's label is for a request no route matched) answered <paramref name="code"/>, each taking
    /// <paramref name="latencyMs"/> in all, of which Kong's own part is <paramref name="kongLatencyMs"/>.
    /// </summary>
    public void Count(string service, int code, long count, double latencyMs, string route = "", double kongLatencyMs = 1)
    {
        lock (_lock)
        {
            _requests[(service, route, code)] = _requests.GetValueOrDefault((service, route, code)) + count;
            Observe(_requestLatency, (service, route), RequestLatencyBuckets, latencyMs, count);
            Observe(_kongLatency, (service, route), KongLatencyBuckets, kongLatencyMs, count);
        }
    }

    public string Exposition(Guid nodeId, long connections)
    {
        var text = new StringBuilder();
        lock (_lock)
        {
            text.Append("# HELP kong_nginx_connections_total Number of connections by subsystem\n# TYPE kong_nginx_connections_total gauge\n");
            text.Append(CultureInfo.InvariantCulture, $"kong_nginx_connections_total{{node_id=\"{nodeId}\",subsystem=\"http\",state=\"accepted\"}} {connections}\n");
            text.Append("# HELP kong_http_requests_total HTTP status codes per consumer/service/route in Kong\n# TYPE kong_http_requests_total counter\n");
            foreach (var ((service, route, code), count) in _requests)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"kong_http_requests_total{{service=\"{Escape(service)}\",route=\"{Escape(route)}\",code=\"{code}\",source=\"service\",workspace=\"default\",consumer=\"\"}} {count}\n");
            }
            Write(text, "kong_kong_latency_ms", "Latency added by Kong and enabled plugins for each service/route in Kong", _kongLatency);
            Write(text, "kong_request_latency_ms", "Total latency incurred during requests for each service/route in Kong", _requestLatency);
        }
        return text.ToString();
    }

    private static void Observe(SortedDictionary<(string, string), Histogram> histograms, (string, string) key, IReadOnlyList<double> buckets, double value, long count)
    {
        if (!histograms.TryGetValue(key, out var histogram))
        {
            histograms[key] = histogram = new Histogram(buckets);
        }
        histogram.Observe(value, count);
    }

    private static void Write(StringBuilder text, string name, string help, SortedDictionary<(string Service, string Route), Histogram> histograms)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} histogram\n");
        foreach (var ((service, route), histogram) in histograms)
        {
            var labels = $"service=\"{Escape(service)}\",route=\"{Escape(route)}\",workspace=\"default\"";
            for (var i = 0; i < histogram.Bounds.Count; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels},le=\"{histogram.Bounds[i]}\"}} {histogram.Cumulative(i)}\n");
            }
            text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels},le=\"+Inf\"}} {histogram.Count}\n");
            text.Append(CultureInfo.InvariantCulture, $"{name}_count{{{labels}}} {histogram.Count}\n");
            text.Append(CultureInfo.InvariantCulture, $"{name}_sum{{{labels}}} {histogram.Sum}\n");
        }
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private sealed class Histogram(IReadOnlyList<double> bounds)
    {
        private readonly long[] _inBucket = new long[bounds.Count];

        public IReadOnlyList<double> Bounds => bounds;

        public long Count { get; private set; }

        public double Sum { get; private set; }

        public long Cumulative(int index) => _inBucket.Take(index + 1).Sum();

        public void Observe(double value, long count)
        {
            for (var i = 0; i < bounds.Count; i++)
            {
                if (value <= bounds[i])
                {
                    _inBucket[i] += count;
                    break;
                }
            }
            Count += count;
            Sum += value * count;
        }
    }
}
