using Gatehouse.Azure.Tables;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests;

/// <summary>Bad input fails at once, naming the rule, without a request (so never a hang or an opaque 400).</summary>
public sealed class TableInputValidationTests(StorageFixture storage)
{
    private TableClient Table() => storage.CreateTableServiceClient().GetTableClient("nevercreated");

    [Theory]
    [InlineData("ab")]
    [InlineData("1startswithdigit")]
    [InlineData("has-hyphen")]
    [InlineData("has_underscore")]
    [InlineData("tables")]
    [InlineData("Tables")]
    public void Invalid_table_names_are_refused(string name) =>
        Assert.Throws<ArgumentException>(() => storage.CreateTableServiceClient().GetTableClient(name));

    [Fact]
    public void A_table_name_of_64_characters_is_refused() =>
        Assert.Throws<ArgumentException>(() => storage.CreateTableServiceClient().GetTableClient("t" + new string('a', 63)));

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("tab\there")]
    [InlineData("nul\0")]
    [InlineData("del\u007f")]
    public async Task Keys_with_forbidden_characters_are_refused_in_every_operation(string key)
    {
        var table = Table();
        var ct = TestContext.Current.CancellationToken;
        var e = await Assert.ThrowsAsync<ArgumentException>(() => table.AddEntityAsync(new TableEntity("p", key), ct));
        Assert.Contains("RowKey", e.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => table.AddEntityAsync(new TableEntity(key, "r"), ct));
        await Assert.ThrowsAsync<ArgumentException>(() => table.GetEntityAsync(key, "r", cancellationToken: ct));
        await Assert.ThrowsAsync<ArgumentException>(() => table.DeleteEntityAsync("p", key, cancellationToken: ct));
        await Assert.ThrowsAsync<ArgumentException>(() => table.UpsertEntityAsync(new TableEntity("p", key), cancellationToken: ct));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(
            [new(TableTransactionActionType.Delete, new TableEntity("p", key))], ct));
    }

    [Fact]
    public async Task Keys_over_1_KiB_are_refused()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            Table().AddEntityAsync(new TableEntity(new string('k', 513), "r"), TestContext.Current.CancellationToken));
        Assert.Contains("512", e.Message);
    }

    [Fact]
    public async Task An_entity_over_1_MiB_is_refused_with_its_size()
    {
        var entity = new TableEntity("p", "big");
        for (var i = 0; i < 20; i++)
        {
            entity[$"Chunk{i}"] = new string('x', 30_000);
        }
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Table().AddEntityAsync(entity, TestContext.Current.CancellationToken));
        Assert.Contains("1,048,576", e.Message);
    }

    [Fact]
    public async Task Oversized_string_and_binary_properties_are_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var longString = new TableEntity("p", "r") { ["Text"] = new string('x', TableLimits.MaxStringLength + 1) };
        Assert.Contains("Text", (await Assert.ThrowsAsync<ArgumentException>(() => Table().AddEntityAsync(longString, ct))).Message);
        var bigBinary = new TableEntity("p", "r") { ["Bytes"] = new byte[TableLimits.MaxBinaryLength + 1] };
        Assert.Contains("Bytes", (await Assert.ThrowsAsync<ArgumentException>(() => Table().AddEntityAsync(bigBinary, ct))).Message);
    }

    [Fact]
    public async Task More_than_252_properties_are_refused()
    {
        var entity = new TableEntity("p", "r");
        for (var i = 0; i < 253; i++)
        {
            entity[$"P{i}"] = i;
        }
        await Assert.ThrowsAsync<ArgumentException>(() => Table().AddEntityAsync(entity, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Unsupported_value_types_are_refused_naming_the_property()
    {
        var entity = new TableEntity("p", "r") { ["When"] = TimeSpan.FromSeconds(1) };
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Table().AddEntityAsync(entity, TestContext.Current.CancellationToken));
        Assert.Contains("When", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1digit")]
    [InlineData("has space")]
    [InlineData("odata.etag")]
    [InlineData("PartitionKey")]
    [InlineData("Timestamp")]
    public void Invalid_property_names_are_refused(string name) =>
        Assert.Throws<ArgumentException>(() => new TableEntity("p", "r")[name] = 1);

    [Fact]
    public async Task Transactions_outside_the_service_rules_are_refused()
    {
        var table = Table();
        var ct = TestContext.Current.CancellationToken;
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync([], ct));

        var tooMany = Enumerable.Range(0, 101).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", $"{i}")));
        Assert.Contains("100", (await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(tooMany, ct))).Message);

        var twoPartitions = new TableTransactionAction[]
        {
            new(TableTransactionActionType.Add, new TableEntity("p1", "r")),
            new(TableTransactionActionType.Add, new TableEntity("p2", "r")),
        };
        Assert.Contains("p2", (await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(twoPartitions, ct))).Message);

        var sameRowTwice = new TableTransactionAction[]
        {
            new(TableTransactionActionType.Add, new TableEntity("p", "r")),
            new(TableTransactionActionType.Delete, new TableEntity("p", "r")),
        };
        Assert.Contains("once", (await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(sameRowTwice, ct))).Message);

        // 100 entities of ~60 KB each are valid one by one but 6 MB together: over the 4 MiB batch limit.
        var heavy = Enumerable.Range(0, 100).Select(i =>
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("p", $"{i}") { ["A"] = new string('x', 30_000), ["B"] = new string('y', 30_000) }));
        Assert.Contains("4,194,304", (await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(heavy, ct))).Message);
    }

    [Fact]
    public Task Updates_need_an_ETag_or_an_explicit_any() =>
        Assert.ThrowsAsync<ArgumentException>(() => Table().UpdateEntityAsync(new TableEntity("p", "r"), default, cancellationToken: TestContext.Current.CancellationToken));

    [Fact]
    public void Query_page_sizes_outside_1_to_1000_are_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Throws<ArgumentOutOfRangeException>(() => Table().QueryAsync(maxPerPage: 0, cancellationToken: ct));
        Assert.Throws<ArgumentOutOfRangeException>(() => Table().QueryAsync(maxPerPage: 1001, cancellationToken: ct));
    }
}
