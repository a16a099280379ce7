using System.Collections.Concurrent;

namespace Gatehouse.Core.Access;

/// <summary>
/// Slows down guessing tokens: a source (a client address) that presents <see cref="Allowed"/>
/// refused tokens within <see cref="Window"/> is turned away, every token unchecked, until that
/// window has passed. Counts are kept for at most <see cref="MaxSources"/> sources; past that the
/// oldest windows are dropped, so a flood of addresses cannot exhaust memory.
/// </summary>
public sealed class FailedTokenAttempts(TimeProvider clock)
{
    public const int Allowed = 10;

    public const int MaxSources = 10_000;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Attempts> _sources = new(StringComparer.Ordinal);

    /// <summary>How many sources have refusals counted now.</summary>
    public int SourcesCounted => _sources.Count;

    /// <summary>How long the source must wait before presenting a token again; null when it may now.</summary>
    public TimeSpan? BlockedFor(string source)
    {
        if (!_sources.TryGetValue(source, out var attempts))
        {
            return null;
        }
        var now = clock.GetUtcNow();
        var ends = attempts.Since + Window;
        if (now >= ends)
        {
            _sources.TryRemove(new KeyValuePair<string, Attempts>(source, attempts));
            return null;
        }
        return attempts.Count >= Allowed ? ends - now : null;
    }

    /// <summary>Notes a refused token from the source.</summary>
    public void Refused(string source)
    {
        var now = clock.GetUtcNow();
        _sources.AddOrUpdate(source, _ => new Attempts(now, 1), (_, held) => now >= held.Since + Window ? new Attempts(now, 1) : held with { Count = held.Count + 1 });
        if (_sources.Count > MaxSources)
        {
            foreach (var stale in _sources.OrderBy(s => s.Value.Since).Take(_sources.Count - MaxSources / 2).ToList())
            {
                _sources.TryRemove(stale);
            }
        }
    }

    private sealed record Attempts(DateTimeOffset Since, int Count);
}
