using Azure;
using Azure.Data.Tables;
using Gatehouse.Azure.Tables;

namespace Gatehouse.Azure.Tests;

/// <summary>
/// The check a row passes before the node store queues it with others: a row the service would
/// refuse fails on its own, naming the rule, instead of inside someone else's transaction.
/// </summary>
public sealed class TableLimitsTests
{
    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("tab\there")]
    [InlineData("nul\0")]
    [InlineData("del\u007f")]
    public void Keys_with_forbidden_characters_are_refused(string key)
    {
        Assert.Contains("RowKey", Assert.Throws<ArgumentException>(() => TableLimits.CheckEntity(new TableEntity("p", key))).Message);
        Assert.Contains("PartitionKey", Assert.Throws<ArgumentException>(() => TableLimits.CheckEntity(new TableEntity(key, "r"))).Message);
    }

    [Fact]
    public void Keys_over_1_KiB_are_refused() =>
        Assert.Contains("512", Assert.Throws<ArgumentException>(() => TableLimits.CheckEntity(new TableEntity(new string('k', 513), "r"))).Message);

    [Fact]
    public void An_entity_over_1_MiB_is_refused_with_its_size()
    {
        var entity = new TableEntity("p", "big");
        for (var i = 0; i < 20; i++)
        {
            entity[$"Chunk{i}"] = new string('x', 30_000);
        }
        Assert.Contains("1,048,576", Assert.Throws<ArgumentException>(() => TableLimits.CheckEntity(entity)).Message);
    }

    [Fact]
    public void Oversized_string_and_binary_properties_are_refused_by_name()
    {
        var longString = new TableEntity("p", "r") { ["Text"] = new string('x', TableLimits.MaxStringLength + 1) };
        Assert.Contains("'Text'", Assert.Throws<ArgumentException>(() => TableLimits.CheckEntity(longString)).Message);
        var bigBinary = new TableEntity("p", "r") { ["Bytes"] = new byte[TableLimits.MaxBinaryLength + 1] };
        Assert.Contains("'Bytes'", Assert.Throws<ArgumentException>(() => TableLimits.CheckEntity(bigBinary)).Message);
    }

    [Fact]
    public void More_than_252_properties_are_refused_and_the_system_ones_do_not_count()
    {
        var entity = new TableEntity("p", "r") { ETag = new ETag("W/\"x\""), Timestamp = DateTimeOffset.UtcNow };
        for (var i = 0; i < TableLimits.MaxCustomProperties; i++)
        {
            entity[$"P{i}"] = i;
        }
        TableLimits.CheckEntity(entity);

        entity["OneMore"] = 1;
        Assert.Contains("253", Assert.Throws<ArgumentException>(() => TableLimits.CheckEntity(entity)).Message);
    }

    [Fact]
    public void Unsupported_value_types_are_refused_naming_the_property() =>
        Assert.Contains("When", Assert.Throws<ArgumentException>(() => TableLimits.CheckEntity(new TableEntity("p", "r") { ["When"] = TimeSpan.FromSeconds(1) })).Message);

    [Fact]
    public void A_valid_row_answers_its_size_by_the_service_formula()
    {
        // Keys: 4 + 2 x (1 + 1). "Name" = "abc": 8 + 2 x 4, and 4 + 2 x 3 for the value. "Gone": 8 + 2 x 4, and no value.
        Assert.Equal(8 + (16 + 10) + 16, TableLimits.CheckEntity(new TableEntity("p", "r") { ["Name"] = "abc", ["Gone"] = null }));
    }
}
