namespace Gatehouse.Bench;

internal static class Percentile
{
    /// <summary>The nearest-rank percentile <paramref name="p"/> (0–1) of an ascending list.</summary>
    public static double Of(IReadOnlyList<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>The same, of figures in any order (sorted here, into a copy).</summary>
    public static double OfUnsorted(IEnumerable<double> figures, double p) => Of([.. figures.Order()], p);
}
