using Gatehouse.Core.Composition;

namespace Gatehouse.Functions.Composition;

/// <summary>
/// Resilience testing: with <c>Gatehouse:Recompose:CrashAt</c> set to a <see cref="RecomposeStep"/>,
/// the process dies the moment a recomposition reaches that step, as a crash or a scale-in
/// would take it. Unset (always, in production) it does nothing.
/// </summary>
internal sealed class CrashInjection(IConfiguration configuration, ILogger<CrashInjection> logger) : IRecomposeObserver
{
    public const int ExitCode = 70;

    private readonly RecomposeStep? _crashAt =
        Enum.TryParse<RecomposeStep>(configuration["Gatehouse:Recompose:CrashAt"], ignoreCase: true, out var step) ? step : null;

    public void Reached(Guid controlPlane, RecomposeStep step)
    {
        if (step == _crashAt)
        {
            logger.LogCritical("Crashing on purpose at {Step} for control plane {ControlPlaneId} (Gatehouse:Recompose:CrashAt)", step, controlPlane);
            // The console logger writes from a queue that exit does not drain: say it directly too.
            Console.Error.WriteLine($"Crashing on purpose at {step} for control plane {controlPlane} (Gatehouse:Recompose:CrashAt)");
            Console.Error.Flush();
            Environment.Exit(ExitCode);
        }
    }
}
