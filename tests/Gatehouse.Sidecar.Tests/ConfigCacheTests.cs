namespace Gatehouse.Sidecar.Tests;

public sealed class ConfigCacheTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gatehouse-cache-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task An_empty_cache_reads_as_nothing()
    {
        Assert.Null(await new ConfigCache(_directory).ReadAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_last_write_is_what_a_new_process_reads()
    {
        var ct = TestContext.Current.CancellationToken;
        await new ConfigCache(_directory).WriteAsync("{\"v\":1}", ct);
        await new ConfigCache(_directory).WriteAsync("{\"v\":2,\"é\":\"✓\"}", ct);

        Assert.Equal("{\"v\":2,\"é\":\"✓\"}", await new ConfigCache(_directory).ReadAsync(ct));
        Assert.Equal(["config.json"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_write_that_fails_leaves_the_previous_config_whole_and_no_temporary_file()
    {
        var ct = TestContext.Current.CancellationToken;
        var cache = new ConfigCache(_directory);
        await cache.WriteAsync("{\"v\":1}", ct);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cache.WriteAsync(new string('x', 1 << 20), cancelled.Token));

        Assert.Equal("{\"v\":1}", await cache.ReadAsync(ct));
        Assert.Equal(["config.json"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Concurrent_writers_never_leave_a_torn_file()
    {
        var ct = TestContext.Current.CancellationToken;
        var cache = new ConfigCache(_directory);
        var payloads = Enumerable.Range(0, 16).Select(i => new string((char)('a' + i), 200_000)).ToArray();

        var reader = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                var seen = await cache.ReadAsync(ct);
                Assert.True(seen is null || payloads.Contains(seen), "a reader saw a partially written config");
            }
        }, ct);
        await Task.WhenAll(payloads.Select(p => cache.WriteAsync(p, ct)).Append(reader));

        Assert.Contains(await cache.ReadAsync(ct), payloads);
    }
}
