using Gatehouse.Sidecar.Hub;

namespace Gatehouse.Sidecar.Tests.Hub;

public sealed class ReconnectDelayTests
{
    private static readonly TimeSpan s_min = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_max = TimeSpan.FromSeconds(30);

    [Fact]
    public void With_the_top_of_the_jitter_the_delay_doubles_until_it_is_capped()
    {
        var delay = new ReconnectDelay(s_min, s_max, new FixedRandom(1.0));
        var seconds = Enumerable.Range(0, 8).Select(_ => delay.Next().TotalSeconds).ToArray();
        Assert.Equal([2, 4, 8, 16, 30, 30, 30, 30], seconds);
    }

    [Fact]
    public void With_the_bottom_of_the_jitter_it_never_goes_below_the_minimum()
    {
        var delay = new ReconnectDelay(s_min, s_max, new FixedRandom(0.0));
        Assert.All(Enumerable.Range(0, 10).Select(_ => delay.Next()), d => Assert.Equal(s_min, d));
    }

    [Fact]
    public void Jitter_spreads_delays_over_the_whole_range_and_stays_in_it()
    {
        var delay = new ReconnectDelay(s_min, s_max, new Random(12345));
        var seen = new List<TimeSpan>();
        for (var round = 0; round < 200; round++)
        {
            delay.Reset();
            for (var failures = 1; failures <= 6; failures++)
            {
                var next = delay.Next();
                Assert.InRange(next, s_min, delay.Ceiling(failures));
                if (failures == 6)
                {
                    seen.Add(next);
                }
            }
        }
        // At the cap, uniform over [1 s, 30 s]: both ends and the middle are visited.
        Assert.Contains(seen, d => d < TimeSpan.FromSeconds(5));
        Assert.Contains(seen, d => d > TimeSpan.FromSeconds(25));
        Assert.True(seen.Distinct().Count() > 150);
    }

    [Fact]
    public void Reset_starts_again_from_the_bottom()
    {
        var delay = new ReconnectDelay(s_min, s_max, new FixedRandom(1.0));
        for (var i = 0; i < 6; i++)
        {
            delay.Next();
        }
        Assert.Equal(s_max, delay.Next());
        delay.Reset();
        Assert.Equal(TimeSpan.FromSeconds(2), delay.Next());
    }

    [Fact]
    public void The_longest_delay_is_jittered_in_the_upper_half_up_to_the_maximum()
    {
        Assert.Equal(s_max, new ReconnectDelay(s_min, s_max, new FixedRandom(1.0)).Longest());
        Assert.Equal(s_max / 2, new ReconnectDelay(s_min, s_max, new FixedRandom(0.0)).Longest());
    }

    [Fact]
    public void A_maximum_below_the_minimum_and_a_zero_minimum_are_made_sane()
    {
        var inverted = new ReconnectDelay(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), new FixedRandom(1.0));
        Assert.Equal(TimeSpan.FromSeconds(5), inverted.Next());
        var zero = new ReconnectDelay(TimeSpan.Zero, TimeSpan.FromSeconds(1), new FixedRandom(0.0));
        Assert.True(zero.Next() > TimeSpan.Zero);
    }

    [Fact]
    public void Thousands_of_failures_do_not_overflow()
    {
        var delay = new ReconnectDelay(s_min, s_max, new FixedRandom(1.0));
        for (var i = 0; i < 5000; i++)
        {
            Assert.InRange(delay.Next(), s_min, s_max);
        }
    }

    /// <summary>Always the same draw: 1.0 stands for the top of the range (NextDouble never quite reaches it).</summary>
    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }
}
