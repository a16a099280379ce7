using Gatehouse.Azure.Tables;

namespace Gatehouse.Azure.Tests;

public sealed class TableFilterTests
{
    [Fact]
    public void Starts_with_is_a_range_up_to_the_next_prefix_with_its_values_quoted() =>
        Assert.Equal("RowKey ge 'it''s:' and RowKey lt 'it''s;'", TableFilter.StartsWith("RowKey", "it's:"));

    [Fact]
    public void A_prefix_ending_in_the_last_character_has_no_upper_bound() =>
        Assert.Throws<ArgumentException>(() => TableFilter.UpperBound("a\uffff"));
}
