namespace Gatehouse.Testing;

/// <summary>
/// Waits for what a test cannot await (a background loop's effect) by asking again until a
/// deadline of wall-clock time: counting the delays instead would stretch the wait on a loaded
/// machine, where each delay overruns.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan s_every = TimeSpan.FromMilliseconds(20);

    // An ask that is a request (to the app, over HTTP) is made less often: each one is work for what is awaited.
    private static readonly TimeSpan s_everyRequest = TimeSpan.FromMilliseconds(50);

    /// <summary>Returns once <paramref name="done"/> holds; throws, saying <paramref name="what"/> was awaited, once <paramref name="within"/> has passed.</summary>
    public static Task TrueAsync(Func<bool> done, TimeSpan within, Func<string> what, CancellationToken cancellationToken) =>
        UntilAsync(() => Task.FromResult(done()), holds => holds, within, what, s_every, cancellationToken);

    /// <summary>
    /// Asks <paramref name="read"/> until <paramref name="done"/> holds for its answer, and returns
    /// that answer; throws, saying <paramref name="what"/> was awaited, once <paramref name="within"/> has passed.
    /// </summary>
    public static Task<T> ThatAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan within, Func<string> what, CancellationToken cancellationToken) =>
        UntilAsync(read, done, within, what, s_everyRequest, cancellationToken);

    private static async Task<T> UntilAsync<T>(
        Func<Task<T>> read, Func<T, bool> done, TimeSpan within, Func<string> what, TimeSpan every, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var answer = await read();
            if (done(answer))
            {
                return answer;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not within {within.TotalSeconds:0.#} s: {what()}");
            }
            await Task.Delay(every, cancellationToken);
        }
    }
}
