using Gatehouse.Core.Analytics;

namespace Gatehouse.Core.Tests.Analytics;

/// <summary>p95 from histograms merged across nodes and minutes, as Prometheus's histogram_quantile estimates it.</summary>
public sealed class LatencyHistogramTests
{
    private static LatencyHistogram Of(params (double Le, long Count)[] buckets)
    {
        var histogram = new LatencyHistogram();
        foreach (var (le, count) in buckets)
        {
            histogram.Add(le, count);
        }
        return histogram;
    }

    [Fact]
    public void No_observations_have_no_quantile() => Assert.Null(new LatencyHistogram().Quantile(0.95));

    [Fact]
    public void The_quantile_is_interpolated_within_its_bucket()
    {
        // 100 observations: 50 at or under 25 ms, 40 more under 50, the last 10 under 100.
        var histogram = Of((25, 50), (50, 40), (100, 10));
        // Rank 95 is the 5th of the 10 in (50, 100]: 50 + 50 × 5/10.
        Assert.Equal(75, histogram.Quantile(0.95));
        Assert.Equal(25, histogram.Quantile(0.5));
        Assert.Equal(12.5, histogram.Quantile(0.25));
    }

    [Fact]
    public void In_the_Inf_bucket_the_quantile_is_the_highest_finite_bound()
    {
        var histogram = Of((25, 10), (double.PositiveInfinity, 90));
        Assert.Equal(25, histogram.Quantile(0.95));
    }

    [Fact]
    public void Merged_histograms_give_the_quantile_of_all_observations_together()
    {
        // Node A: 90 fast requests (≤ 25 ms); node B: 10 slow ones (in (250, 400]).
        var a = Of((25, 90));
        var b = Of((400, 10));
        var merged = new LatencyHistogram();
        merged.Add(a);
        merged.Add(b);
        Assert.Equal(100, merged.Count);
        // Rank 95 is the 5th of the 10 in (25, 400]: 25 + 375 × 5/10.
        Assert.Equal(212.5, merged.Quantile(0.95));
        Assert.True(a.Quantile(0.95) < 25);
    }

    [Fact]
    public void Empty_buckets_given_are_where_the_interpolation_starts()
    {
        // As Kong lists them: 90 in le=25, none in le=50 … le=250, 10 in le=400.
        var histogram = Of((25, 90), (50, 0), (250, 0), (400, 10), (double.PositiveInfinity, 0));
        Assert.Equal(325, histogram.Quantile(0.95));
        Assert.Equal(0, Of((25, 0), (50, 4)).Quantile(0));
    }

    [Fact]
    public void Bounds_read_and_write_as_Prometheus_le_text()
    {
        Assert.True(LatencyHistogram.TryParseBound("+Inf", out var inf) && double.IsPositiveInfinity(inf));
        Assert.True(LatencyHistogram.TryParseBound("0.5", out var half) && half == 0.5);
        Assert.False(LatencyHistogram.TryParseBound("-1", out _));
        Assert.False(LatencyHistogram.TryParseBound("NaN", out _));
        Assert.Equal("+Inf", LatencyHistogram.BoundText(double.PositiveInfinity));
        Assert.Equal("2000", LatencyHistogram.BoundText(2000));
    }
}
