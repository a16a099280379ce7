using Gatehouse.Azure.Tables;

namespace Gatehouse.Azure.Tests;

public sealed class TableFilterTests
{
    [Fact]
    public void Values_are_quoted_by_type_and_quotes_are_doubled()
    {
        var id = Guid.Parse("6f1d8a7e-3c4b-4a2d-9e8f-0a1b2c3d4e5f");
        var when = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.FromHours(2));
        var filter = TableFilter.Create($"PartitionKey eq {"it's"} and N eq {5} and L eq {5L} and B eq {true} and G eq {id} and T lt {when} and D eq {0.5}");
        Assert.Equal(
            "PartitionKey eq 'it''s' and N eq 5 and L eq 5L and B eq true and G eq guid'6f1d8a7e-3c4b-4a2d-9e8f-0a1b2c3d4e5f' " +
            "and T lt datetime'2026-11-21T10:00:00.0000000Z' and D eq 0.5",
            filter);
    }

    [Fact]
    public void Starts_with_is_a_range_up_to_the_next_prefix() =>
        Assert.Equal("RowKey ge 'route:' and RowKey lt 'route;'", TableFilter.StartsWith("RowKey", "route:"));

    [Fact]
    public void Unsupported_values_are_refused() =>
        Assert.Throws<ArgumentException>(() => TableFilter.Create($"X eq {TimeSpan.Zero}"));
}
