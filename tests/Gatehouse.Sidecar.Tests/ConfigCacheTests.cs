using System.Text;
using Gatehouse.Core.Composition;

namespace Gatehouse.Sidecar.Tests;

public sealed class ConfigCacheTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gatehouse-cache-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static (byte[] Config, string Hash) Config(string service)
    {
        var bytes = Encoding.UTF8.GetBytes($$"""{"_format_version":"3.0","services":[{"name":"{{service}}","host":"{{service}}.internal"}]}""");
        return (bytes, ConfigHash.Of(bytes).Config);
    }

    private string[] Files() => [.. Directory.GetFiles(_directory).Select(Path.GetFileName).OfType<string>()];

    [Fact]
    public async Task An_empty_cache_reads_as_nothing()
    {
        Assert.Null(await new ConfigCache(_directory).ReadAsync(null, Ct));
    }

    [Fact]
    public async Task The_last_write_is_what_a_new_process_reads_and_the_only_file_kept()
    {
        var (first, firstHash) = Config("one");
        var (second, secondHash) = Config("twö");
        await new ConfigCache(_directory).WriteAsync(first, firstHash, Ct);
        await new ConfigCache(_directory).WriteAsync(second, secondHash, Ct);

        var read = await new ConfigCache(_directory).ReadAsync(null, Ct);
        Assert.Equal(secondHash, read!.Value.Hash);
        Assert.Equal(second, read.Value.Config.ToArray());
        Assert.Equal([$"config-{secondHash}.json"], Files());
    }

    [Fact]
    public async Task A_write_that_fails_leaves_the_previous_config_whole_and_no_temporary_file()
    {
        var cache = new ConfigCache(_directory);
        var (config, hash) = Config("one");
        await cache.WriteAsync(config, hash, Ct);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var (other, otherHash) = Config("two");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cache.WriteAsync(other, otherHash, cancelled.Token));

        Assert.Equal(hash, (await cache.ReadAsync(null, Ct))!.Value.Hash);
        Assert.Equal([$"config-{hash}.json"], Files());
    }

    [Theory]
    [InlineData("flipped")]
    [InlineData("truncated")]
    [InlineData("empty")]
    public async Task A_damaged_file_is_never_taken_for_a_config(string damage)
    {
        var cache = new ConfigCache(_directory);
        var (config, hash) = Config("one");
        await cache.WriteAsync(config, hash, Ct);
        var path = Path.Combine(_directory, $"config-{hash}.json");
        var bytes = await File.ReadAllBytesAsync(path, Ct);
        await File.WriteAllBytesAsync(path, damage switch
        {
            "flipped" => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("one", "onf", StringComparison.Ordinal)),
            "truncated" => bytes[..(bytes.Length / 2)],
            _ => [],
        }, Ct);

        var discarded = new List<(string File, string Reason)>();
        Assert.Null(await cache.ReadAsync((file, reason) => discarded.Add((file, reason)), Ct));
        Assert.Equal(path, Assert.Single(discarded).File);
        Assert.Empty(Files());
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("")]
    public async Task Only_a_config_hash_names_a_file(string hash)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => new ConfigCache(_directory).WriteAsync(Config("one").Config, hash, Ct));
    }

    [Fact]
    public async Task A_reader_during_writes_sees_a_whole_config_or_none_never_a_torn_one()
    {
        var cache = new ConfigCache(_directory);
        var configs = Enumerable.Range(0, 40).Select(i => Config(new string((char)('a' + (i % 26)), 50_000 + i))).ToArray();
        var hashes = configs.Select(c => c.Hash).ToHashSet();
        using var writing = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            var seen = 0;
            while (!writing.IsCancellationRequested)
            {
                if (await cache.ReadAsync((file, reason) => Assert.Fail($"{file}: {reason}"), Ct) is { } read)
                {
                    Assert.Contains(read.Hash, hashes);
                    Assert.Equal(read.Hash, ConfigHash.Of(read.Config.Span).Config);
                    seen++;
                }
            }
            return seen;
        }, Ct);
        foreach (var (config, hash) in configs)
        {
            await cache.WriteAsync(config, hash, Ct);
        }
        await writing.CancelAsync();
        Assert.True(await reader > 0);
        Assert.Equal(configs[^1].Hash, (await cache.ReadAsync(null, Ct))!.Value.Hash);
    }
}
