using System.Globalization;
using System.Text;

namespace Gatehouse.Sidecar.Metrics;

/// <summary>One sample of Prometheus's text exposition format: a metric name, its labels and its value.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string Label(string name) => Labels.TryGetValue(name, out var value) ? value : "";
}

/// <summary>
/// Reads Prometheus's text exposition format (version 0.0.4, what Kong's Prometheus plugin writes:
/// kong/plugins/prometheus/prometheus.lua). Lines that are not a well-formed sample — comments,
/// blank lines, anything garbled or truncated — are skipped, never thrown on: a bad scrape must
/// cost at most its own numbers.
/// </summary>
internal static class PrometheusText
{
    public static IReadOnlyList<PrometheusSample> Parse(string text, Func<string, bool>? wanted = null)
    {
        var samples = new List<PrometheusSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            if (TryParseLine(line, wanted) is { } sample)
            {
                samples.Add(sample);
            }
        }
        return samples;
    }

    /// <summary>One sample line, or null when it is not one (or its metric is not <paramref name="wanted"/>).</summary>
    public static PrometheusSample? TryParseLine(string line, Func<string, bool>? wanted = null)
    {
        var at = 0;
        while (at < line.Length && IsNameChar(line[at], at == 0))
        {
            at++;
        }
        if (at == 0)
        {
            return null;
        }
        var name = line[..at];
        if (wanted is not null && !wanted(name))
        {
            return null;
        }
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (at < line.Length && line[at] == '{')
        {
            at++;
            if (!TryParseLabels(line, ref at, labels))
            {
                return null;
            }
        }
        // The value, then an optional timestamp: whitespace-separated.
        var rest = line[at..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length is 0 or > 2 || ParseValue(rest[0]) is not { } value)
        {
            return null;
        }
        if (rest.Length == 2 && !long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            return null;
        }
        return new PrometheusSample(name, labels, value);
    }

    private static bool TryParseLabels(string line, ref int at, Dictionary<string, string> labels)
    {
        while (true)
        {
            SkipSpaces(line, ref at);
            if (at < line.Length && line[at] == '}')
            {
                at++;
                return true;
            }
            var start = at;
            while (at < line.Length && IsLabelChar(line[at], at == start))
            {
                at++;
            }
            if (at == start)
            {
                return false;
            }
            var label = line[start..at];
            SkipSpaces(line, ref at);
            if (at >= line.Length || line[at] != '=')
            {
                return false;
            }
            at++;
            SkipSpaces(line, ref at);
            if (at >= line.Length || line[at] != '"')
            {
                return false;
            }
            at++;
            var value = new StringBuilder();
            while (true)
            {
                if (at >= line.Length)
                {
                    return false;
                }
                var c = line[at++];
                if (c == '"')
                {
                    break;
                }
                if (c != '\\')
                {
                    value.Append(c);
                    continue;
                }
                if (at >= line.Length)
                {
                    return false;
                }
                var escaped = line[at++];
                value.Append(escaped switch
                {
                    'n' => '\n',
                    '\\' => '\\',
                    '"' => '"',
                    _ => escaped,
                });
            }
            if (!labels.TryAdd(label, value.ToString()))
            {
                return false;
            }
            SkipSpaces(line, ref at);
            if (at < line.Length && line[at] == ',')
            {
                at++;
            }
            else if (at >= line.Length || line[at] != '}')
            {
                return false;
            }
        }
    }

    private static double? ParseValue(string text) => text switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null,
    };

    private static void SkipSpaces(string line, ref int at)
    {
        while (at < line.Length && line[at] is ' ' or '\t')
        {
            at++;
        }
    }

    private static bool IsNameChar(char c, bool first) => char.IsAsciiLetter(c) || c is '_' or ':' || (!first && char.IsAsciiDigit(c));

    private static bool IsLabelChar(char c, bool first) => char.IsAsciiLetter(c) || c == '_' || (!first && char.IsAsciiDigit(c));
}
