using Gatehouse.Azure.Composition;
using Gatehouse.Core.Composition;

namespace Gatehouse.Functions.Composition;

/// <summary>
/// Handles one recompose message, however it arrives (the local poller, or the Functions host's
/// queue trigger). Throws when the work failed, so the message is delivered again.
/// </summary>
internal sealed class RecomposeHandler(Recomposer recomposer, ILogger<RecomposeHandler> logger)
{
    public async Task HandleAsync(string message, long dequeueCount, CancellationToken cancellationToken)
    {
        if (QueueRecomposeQueue.Parse(message) is not { } controlPlane)
        {
            // Nothing to retry: a malformed message stays malformed.
            logger.LogWarning("Dropped a recompose message that names no control plane: {Message}", message.Length > 200 ? message[..200] : message);
            return;
        }
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["ControlPlaneId"] = controlPlane, ["DequeueCount"] = dequeueCount });
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (outcome, pointer) = await recomposer.RecomposeAsync(controlPlane, cancellationToken);
        logger.Log(outcome == RecomposeOutcome.Composed ? LogLevel.Information : LogLevel.Debug,
            "Recompose of {ControlPlaneId}: {Outcome} at revision {Revision}, config hash {ConfigHash}, in {Elapsed:F1} ms",
            controlPlane, outcome, pointer?.Revision, pointer?.Hash, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
