using Gatehouse.Core.Analytics;
using Gatehouse.Sidecar.Metrics;
using Gatehouse.Testing;

namespace Gatehouse.Sidecar.Tests.Metrics;

/// <summary>Traffic stays pending, under one sequence, until a heartbeat carrying it is taken.</summary>
public sealed class MetricsOutboxTests
{
    private static ServiceTraffic Requests(long count)
    {
        var traffic = new ServiceTraffic();
        traffic.For("orders").AddRequests("2xx", count);
        return traffic;
    }

    [Fact]
    public void A_failed_heartbeat_keeps_the_report_and_its_sequence_and_later_traffic_adds_to_it()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-12-03T10:00:30Z", System.Globalization.CultureInfo.InvariantCulture));
        var outbox = new MetricsOutbox(clock);
        Assert.Null(outbox.Pending);
        outbox.Add(new ServiceTraffic());
        Assert.Null(outbox.Pending);

        outbox.Add(Requests(3));
        var first = outbox.Pending!;
        // The heartbeat carrying it fails: nothing is acknowledged; the next beat adds to the same report.
        clock.Advance(TimeSpan.FromMinutes(2));
        outbox.Add(Requests(4));
        Assert.Same(first, outbox.Pending);
        Assert.Equal(7, outbox.Pending!.Traffic.Total().Requests);
        Assert.Equal(clock.GetUtcNow() - TimeSpan.FromMinutes(2), outbox.Pending.At);

        outbox.Acknowledge(first);
        Assert.Null(outbox.Pending);
        outbox.Add(Requests(1));
        Assert.True(outbox.Pending!.Sequence > first.Sequence);
        Assert.Equal(1, outbox.Pending.Traffic.Total().Requests);
    }

    [Fact]
    public void Acknowledging_another_report_changes_nothing()
    {
        var outbox = new MetricsOutbox(TimeProvider.System);
        outbox.Add(Requests(2));
        outbox.Acknowledge(new MetricsReport(outbox.Pending!.Sequence, outbox.Pending.At, Requests(2)));
        Assert.NotNull(outbox.Pending);
        outbox.Acknowledge(null);
        Assert.NotNull(outbox.Pending);
    }
}
