using System.Globalization;

namespace Gatehouse.Core.Analytics;

/// <summary>
/// Latency observations counted per bucket, keyed by the bucket's upper bound (<c>le</c>,
/// milliseconds; <see cref="double.PositiveInfinity"/> for <c>+Inf</c>). Unlike Prometheus's
/// cumulative buckets, each observation counts in one bucket only, so histograms of nodes and minutes
/// merge by adding bucket by bucket and stay right when one leaves out its empty buckets. Empty
/// buckets are kept when given, though: their bounds are where the quantile's interpolation starts.
/// </summary>
public sealed class LatencyHistogram
{
    private readonly SortedDictionary<double, long> _buckets = [];

    public IReadOnlyDictionary<double, long> Buckets => _buckets;

    public bool IsEmpty => Count == 0;

    public long Count => _buckets.Values.Sum();

    public void Add(double upperBound, long count)
    {
        if (count < 0 || double.IsNaN(upperBound))
        {
            return;
        }
        _buckets[upperBound] = _buckets.GetValueOrDefault(upperBound) + count;
    }

    public void Add(LatencyHistogram other)
    {
        foreach (var (bound, count) in other._buckets)
        {
            Add(bound, count);
        }
    }

    /// <summary>
    /// The <paramref name="q"/> quantile as Prometheus's <c>histogram_quantile</c> estimates it
    /// (promql/quantile.go <c>bucketQuantile</c>): the bucket holding rank q×count, linearly
    /// interpolated within it from the previous bound (0 for the first); in the <c>+Inf</c> bucket,
    /// the highest finite bound. Null with no observations.
    /// </summary>
    public double? Quantile(double q)
    {
        var total = Count;
        if (total == 0)
        {
            return null;
        }
        var rank = q * total;
        double lower = 0;
        long below = 0;
        foreach (var (bound, count) in _buckets)
        {
            if (below + count >= rank)
            {
                return double.IsPositiveInfinity(bound) || count == 0 ? lower : lower + ((bound - lower) * (rank - below) / count);
            }
            lower = bound;
            below += count;
        }
        return lower;
    }

    /// <summary>The wire and storage name of a bound: Prometheus's <c>le</c> text.</summary>
    public static string BoundText(double bound) =>
        double.IsPositiveInfinity(bound) ? "+Inf" : bound.ToString("R", CultureInfo.InvariantCulture);

    public static bool TryParseBound(string text, out double bound)
    {
        if (text is "+Inf" or "Inf")
        {
            bound = double.PositiveInfinity;
            return true;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out bound) && double.IsFinite(bound) && bound >= 0;
    }
}
