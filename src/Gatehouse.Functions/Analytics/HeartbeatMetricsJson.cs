using System.Globalization;
using System.Text.Json;
using Gatehouse.Core.Analytics;
using Gatehouse.Core.Validation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Analytics;

/// <summary>
/// Reads a heartbeat's optional <c>metrics</c> strictly, naming every wrong field. The limits keep
/// one report inside one Table storage row (a megabyte): a thousand services of a few dozen buckets.
/// </summary>
internal static class HeartbeatMetricsJson
{
    public const int MaxServices = 1000;
    public const int MaxServiceName = 512;
    public const int MaxBuckets = 64;

    private static readonly HashSet<string> s_fields = ["sequence", "at", "services"];
    private static readonly HashSet<string> s_serviceFields = ["service", "requests", "latency_ms"];

    /// <summary>The report, or null when the heartbeat has none; wrong fields are added to <paramref name="errors"/>.</summary>
    public static MetricsReport? Read(JsonElement body, List<InvalidParameter> errors)
    {
        if (!body.TryGetProperty("metrics", out var metrics) || metrics.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (metrics.ValueKind != JsonValueKind.Object)
        {
            errors.Add(InvalidParameter.WrongType("metrics", "is_object", "an object"));
            return null;
        }
        var fields = new JsonFields(metrics, s_fields, errors, "metrics.");
        long sequence = -1;
        if (!metrics.TryGetProperty("sequence", out var sequenceValue) || !sequenceValue.TryGetInt64(out sequence) || sequence < 0)
        {
            errors.Add(new InvalidParameter("metrics.sequence", "is required: a non-negative integer, unique per node", "is_integer"));
        }
        var at = DateTimeOffset.MinValue;
        if (fields.String("at") is not { } atText
            || !DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out at)
            || !(atText.EndsWith('Z') || atText.LastIndexOfAny(['+', '-']) > atText.IndexOf('T', StringComparison.Ordinal)))
        {
            errors.Add(new InvalidParameter("metrics.at", "is required: an RFC 3339 date-time with its offset", "is_date_time"));
        }
        var traffic = new ServiceTraffic();
        if (fields.Array("services") is not { } services)
        {
            if (!fields.Has("services"))
            {
                errors.Add(new InvalidParameter("metrics.services", "is required", "required"));
            }
        }
        else if (services.GetArrayLength() > MaxServices)
        {
            errors.Add(new InvalidParameter("metrics.services", $"must not list more than {MaxServices} services", "max_items"));
        }
        else
        {
            var index = 0;
            foreach (var item in services.EnumerateArray())
            {
                Service(item, $"metrics.services[{index++}]", traffic, errors);
            }
        }
        return new MetricsReport(sequence, at.ToUniversalTime(), traffic);
    }

    private static void Service(JsonElement item, string at, ServiceTraffic traffic, List<InvalidParameter> errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(InvalidParameter.WrongType(at, "is_object", "an object"));
            return;
        }
        var fields = new JsonFields(item, s_serviceFields, errors, at + ".");
        var name = fields.String("service");
        if (name is null || name.Length > MaxServiceName)
        {
            errors.Add(new InvalidParameter($"{at}.service", $"is required: Kong's service label, at most {MaxServiceName} characters", "required"));
            return;
        }
        var counts = traffic.For(name);
        if (fields.Object("requests") is { } requests)
        {
            foreach (var entry in requests.EnumerateObject())
            {
                if (!StatusClass.IsKnown(entry.Name))
                {
                    errors.Add(new InvalidParameter($"{at}.requests.{Bounded(entry.Name)}", "is not a status class (1xx to 5xx)", "one_of"));
                }
                else if (Count(entry.Value) is { } count)
                {
                    counts.AddRequests(entry.Name, count);
                }
                else
                {
                    errors.Add(new InvalidParameter($"{at}.requests.{entry.Name}", "must be a non-negative integer", "is_integer"));
                }
            }
        }
        if (fields.Object("latency_ms") is { } latency)
        {
            var buckets = 0;
            foreach (var entry in latency.EnumerateObject())
            {
                if (++buckets > MaxBuckets)
                {
                    errors.Add(new InvalidParameter($"{at}.latency_ms", $"must not have more than {MaxBuckets} buckets", "max_items"));
                    break;
                }
                if (!LatencyHistogram.TryParseBound(entry.Name, out var bound))
                {
                    errors.Add(new InvalidParameter($"{at}.latency_ms.{Bounded(entry.Name)}", "is not a bucket bound: a non-negative number or +Inf", "is_bound"));
                }
                else if (Count(entry.Value) is { } count)
                {
                    counts.Latency.Add(bound, count);
                }
                else
                {
                    errors.Add(new InvalidParameter($"{at}.latency_ms.{entry.Name}", "must be a non-negative integer", "is_integer"));
                }
            }
        }
    }

    private static long? Count(JsonElement value) => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) && count >= 0 ? count : null;

    private static string Bounded(string text) => text.Length <= 32 ? text : text[..32] + "…";
}
