using System.Collections.Concurrent;

namespace Gatehouse.Functions.Caching;

/// <summary>
/// Point reads remembered for at most a fixed age, for the lookups every request makes (a data
/// plane's pinned certificate, a caller's token). Writes go through <see cref="ForgettingAsync"/>,
/// which empties the memory before and after, so no read that started before a write is kept:
/// on this instance a write holds from the next request, on others within the age.
/// </summary>
internal sealed class RecentReads<T>(TimeSpan maxAge, TimeProvider clock) where T : class
{
    private readonly ConcurrentDictionary<string, (T Value, DateTimeOffset ReadAt)> _values = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>What <paramref name="read"/> answers for <paramref name="key"/>, or what it answered less than the age ago. Nothing found is never remembered.</summary>
    public async Task<T?> GetAsync(string key, Func<Task<T?>> read)
    {
        var now = clock.GetUtcNow();
        if (_values.TryGetValue(key, out var recent) && now - recent.ReadAt < maxAge)
        {
            return recent.Value;
        }
        // A write that lands while this read is out must not be undone by keeping what it found.
        var generation = Interlocked.Read(ref _generation);
        var value = await read().ConfigureAwait(false);
        if (value is null)
        {
            _values.TryRemove(key, out _);
        }
        else if (Interlocked.Read(ref _generation) == generation)
        {
            _values[key] = (value, now);
        }
        return value;
    }

    /// <summary>Runs a write, forgetting everything before it and again after it.</summary>
    public async Task<TResult> ForgettingAsync<TResult>(Func<Task<TResult>> write)
    {
        Forget();
        try
        {
            return await write().ConfigureAwait(false);
        }
        finally
        {
            Forget();
        }
    }

    /// <inheritdoc cref="ForgettingAsync{TResult}"/>
    public Task ForgettingAsync(Func<Task> write) => ForgettingAsync(async () =>
    {
        await write().ConfigureAwait(false);
        return true;
    });

    private void Forget()
    {
        Interlocked.Increment(ref _generation);
        _values.Clear();
    }
}
