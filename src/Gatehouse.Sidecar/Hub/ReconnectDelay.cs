namespace Gatehouse.Sidecar.Hub;

/// <summary>
/// How long to wait before the next connection attempt: exponential backoff with full jitter
/// between the minimum and a ceiling that doubles per failure up to the maximum. The jitter keeps
/// the sidecars of a fleet, all dropped at once by a server restart, from coming back in step;
/// the minimum keeps a server that fails at once from being hammered.
/// </summary>
internal sealed class ReconnectDelay(TimeSpan min, TimeSpan max, Random random)
{
    private readonly TimeSpan _min = min <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : min;
    private readonly TimeSpan _max = max < min ? min : max;
    private int _failures;

    /// <summary>The delay after one more failure: uniform in [min, min(max, min·2^failures)].</summary>
    public TimeSpan Next()
    {
        _failures++;
        return Between(_min, Ceiling(_failures));
    }

    /// <summary>The longest wait, still jittered (in [max/2, max]): for a server that said not to come back soon.</summary>
    public TimeSpan Longest()
    {
        _failures++;
        return Between(_max / 2 < _min ? _min : _max / 2, _max);
    }

    /// <summary>After a connection that lived: the next failure starts from the bottom again.</summary>
    public void Reset() => _failures = 0;

    /// <summary>The current ceiling, for tests and logs.</summary>
    public TimeSpan Ceiling(int failures)
    {
        // Doubling past 2^30 overflows long before it matters; the cap is reached far earlier.
        var ceiling = _min.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 30));
        return ceiling >= _max.TotalMilliseconds ? _max : TimeSpan.FromMilliseconds(ceiling);
    }

    private TimeSpan Between(TimeSpan low, TimeSpan high) =>
        low + TimeSpan.FromMilliseconds(random.NextDouble() * (high - low).TotalMilliseconds);
}
