namespace Gatehouse.Functions.Composition;

/// <summary>
/// Lets a write in this process wake the local poller at once instead of waiting out its idle
/// delay: the message is on the queue either way; this only shortens the wait for it.
/// </summary>
internal sealed class PollerWakeup
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Pulse()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already pulsed and not yet taken: one wake-up serves every write since.
        }
    }

    /// <summary>Waits for a pulse or the delay, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) => _signal.WaitAsync(delay, cancellationToken);
}
