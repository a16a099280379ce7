using System.Collections.Concurrent;

namespace Gatehouse.Functions.Audit;

/// <summary>
/// Answers whose entries this instance is still recording after the client has them (changes kept
/// with their commit record theirs off the answer's path). A listing waits for them first, so a client
/// that reads the log after its change was answered finds it, on the instance that answered.
/// </summary>
internal sealed class AuditRecordsInFlight
{
    private readonly ConcurrentDictionary<Guid, Task> _recording = new();

    public void Track(Guid entryId, Func<Task> record)
    {
        var recording = record();
        _recording[entryId] = recording;
        _ = recording.ContinueWith(_ => _recording.TryRemove(entryId, out var _), TaskScheduler.Default);
    }

    /// <summary>Waits for every record in flight now (each logs its own failure), up to <paramref name="limit"/>.</summary>
    public async Task WaitAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var recording = _recording.Values.ToArray();
        if (recording.Length > 0)
        {
            try
            {
                await Task.WhenAll(recording).WaitAsync(limit, cancellationToken);
            }
            catch (TimeoutException)
            {
            }
        }
    }
}
