using System.Diagnostics;
using Gatehouse.Testing;

namespace Gatehouse.Bench;

/// <summary>CPU seconds this process and its Azurite used since <see cref="Start"/>: whether a run was bound by the cores, and by whose work.</summary>
internal sealed class CpuClock
{
    private readonly AzuriteProcess _azurite;
    private readonly TimeSpan _ownAtStart;
    private readonly TimeSpan _azuriteAtStart;

    private CpuClock(AzuriteProcess azurite)
    {
        _azurite = azurite;
        _ownAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        _azuriteAtStart = azurite.ProcessorTime;
    }

    public static CpuClock Start(AzuriteProcess azurite) => new(azurite);

    /// <summary>Seconds of CPU since the start: this process's, then Azurite's.</summary>
    public (double Own, double Azurite) Elapsed() =>
        ((Process.GetCurrentProcess().TotalProcessorTime - _ownAtStart).TotalSeconds, (_azurite.ProcessorTime - _azuriteAtStart).TotalSeconds);
}
