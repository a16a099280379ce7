using System.Diagnostics;

namespace Gatehouse.Testing.Tests;

public sealed class EventuallyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Returns_once_the_condition_holds()
    {
        var asked = 0;
        await Eventually.TrueAsync(() => ++asked == 3, TimeSpan.FromSeconds(5), () => "the third look", Ct);
        Assert.Equal(3, asked);
    }

    [Fact]
    public async Task Fails_after_the_deadline_in_wall_clock_time_saying_what_it_waited_for()
    {
        var watch = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<TimeoutException>(
            () => Eventually.TrueAsync(() => false, TimeSpan.FromMilliseconds(200), () => "a node on the new hash", Ct));
        Assert.Equal("Not within 0.2 s: a node on the new hash", failure.Message);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Asks_again_until_an_answer_will_do_and_returns_that_answer()
    {
        var asked = 0;
        var answer = await Eventually.ThatAsync(async () => { await Task.Yield(); return ++asked * 10; }, a => a >= 30, TimeSpan.FromSeconds(5), () => "the third answer", Ct);
        Assert.Equal((30, 3), (answer, asked));
        var failure = await Assert.ThrowsAsync<TimeoutException>(
            () => Eventually.ThatAsync(() => Task.FromResult("old"), hash => hash != "old", TimeSpan.FromMilliseconds(200), () => "a new hash", Ct));
        Assert.Equal("Not within 0.2 s: a new hash", failure.Message);
    }
}
