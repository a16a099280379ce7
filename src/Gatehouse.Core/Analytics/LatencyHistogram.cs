using System.Globalization;

namespace Gatehouse.Core.Analytics;

/// <summary>
/// A Prometheus histogram's cumulative bucket counts, keyed by upper bound (<c>le</c>, milliseconds;
/// <see cref="double.PositiveInfinity"/> for <c>+Inf</c>). Deltas of cumulative counts are
/// cumulative too, so histograms of several nodes and minutes merge by adding bucket by bucket.
/// </summary>
public sealed class LatencyHistogram
{
    private readonly SortedDictionary<double, long> _buckets = [];

    public IReadOnlyDictionary<double, long> Buckets => _buckets;

    public bool IsEmpty => _buckets.Values.All(count => count == 0);

    /// <summary>The observations counted: the <c>+Inf</c> bucket, or the largest count when it is missing.</summary>
    public long Count => _buckets.Count == 0 ? 0 : _buckets.Values.Max();

    public void Add(double upperBound, long count)
    {
        if (count <= 0 || double.IsNaN(upperBound))
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
        long running = 0;
        foreach (var (bound, count) in _buckets)
        {
            // Merged counts of differing bucket sets may not rise everywhere; cumulative counts never fall.
            running = Math.Max(running, count);
            if (running >= rank)
            {
                if (double.IsPositiveInfinity(bound))
                {
                    return lower;
                }
                var inBucket = running - below;
                return inBucket == 0 ? bound : lower + ((bound - lower) * (rank - below) / inBucket);
            }
            lower = bound;
            below = running;
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
