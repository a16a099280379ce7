using Gatehouse.Core.Access;
using Gatehouse.Testing;

namespace Gatehouse.Core.Tests.Access;

public sealed class FailedTokenAttemptsTests
{
    [Fact]
    public void A_source_is_turned_away_after_the_allowed_refusals_until_the_window_has_passed()
    {
        var clock = new ManualClock();
        var attempts = new FailedTokenAttempts(clock);

        for (var i = 0; i < FailedTokenAttempts.Allowed - 1; i++)
        {
            attempts.Refused("10.0.0.1");
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Null(attempts.BlockedFor("10.0.0.1"));

        attempts.Refused("10.0.0.1");
        var wait = attempts.BlockedFor("10.0.0.1");

        Assert.Equal(FailedTokenAttempts.Window - TimeSpan.FromSeconds(FailedTokenAttempts.Allowed - 1), wait);
        Assert.Null(attempts.BlockedFor("10.0.0.2"));
        clock.Advance(wait!.Value);
        Assert.Null(attempts.BlockedFor("10.0.0.1"));
    }

    [Fact]
    public void Refusals_spread_over_more_than_a_window_never_block()
    {
        var clock = new ManualClock();
        var attempts = new FailedTokenAttempts(clock);

        // Half the allowed number per window, for three windows.
        for (var i = 0; i < FailedTokenAttempts.Allowed * 3 / 2; i++)
        {
            attempts.Refused("10.0.0.1");
            Assert.Null(attempts.BlockedFor("10.0.0.1"));
            clock.Advance(FailedTokenAttempts.Window / (FailedTokenAttempts.Allowed / 2));
        }
    }

    [Fact]
    public void A_flood_of_sources_keeps_at_most_the_bound_and_keeps_the_newest()
    {
        var clock = new ManualClock();
        var attempts = new FailedTokenAttempts(clock);
        for (var i = 0; i < FailedTokenAttempts.Allowed; i++)
        {
            attempts.Refused("attacker");
        }

        for (var i = 0; i < FailedTokenAttempts.MaxSources + 10; i++)
        {
            clock.Advance(TimeSpan.FromTicks(1));
            attempts.Refused($"10.{i / 65536}.{i / 256 % 256}.{i % 256}");
        }

        Assert.InRange(attempts.SourcesCounted, 1, FailedTokenAttempts.MaxSources);
        // The oldest window went first.
        Assert.Null(attempts.BlockedFor("attacker"));
    }
}
