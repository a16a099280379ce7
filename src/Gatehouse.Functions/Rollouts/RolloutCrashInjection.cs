using Gatehouse.Core.Rollouts;
using Gatehouse.Functions.Composition;

namespace Gatehouse.Functions.Rollouts;

/// <summary>Where a rollout's move stands: decided (nothing written yet), or written (nobody pushed yet).</summary>
internal enum RolloutStep
{
    Decided,
    Written,
}

/// <summary>
/// Resilience testing: with <c>Gatehouse:Rollouts:CrashAt</c> set to a phase and a
/// <see cref="RolloutStep"/> (<c>promoted:Written</c>), the process dies the moment a rollout moving to
/// that phase reaches that step, as a crash or a scale-in would take it. Unset (always, in production) it does nothing.
/// </summary>
internal sealed class RolloutCrashInjection(IConfiguration configuration, ILogger<RolloutCrashInjection> logger)
{
    private readonly (string Phase, RolloutStep Step)? _crashAt = Parse(configuration["Gatehouse:Rollouts:CrashAt"]);

    public void Reached(Guid controlPlane, RolloutState next, RolloutStep step)
    {
        if (_crashAt is { } at && at.Phase == next.Phase && at.Step == step)
        {
            logger.LogCritical("Crashing on purpose at {Phase}:{Step} for control plane {ControlPlaneId} (Gatehouse:Rollouts:CrashAt)", next.Phase, step, controlPlane);
            // The console logger writes from a queue that exit does not drain: say it directly too.
            Console.Error.WriteLine($"Crashing on purpose at {next.Phase}:{step} for control plane {controlPlane} (Gatehouse:Rollouts:CrashAt)");
            Console.Error.Flush();
            Environment.Exit(CrashInjection.ExitCode);
        }
    }

    private static (string, RolloutStep)? Parse(string? setting) =>
        setting?.Split(':') is [var phase, var step] && Enum.TryParse<RolloutStep>(step, ignoreCase: true, out var parsed) ? (phase, parsed) : null;
}
