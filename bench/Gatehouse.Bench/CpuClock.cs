using System.Diagnostics;

namespace Gatehouse.Bench;

/// <summary>
/// CPU seconds this process and its storage used since <see cref="Start"/>: whether a run was bound
/// by the cores, and by whose work. The storage's is known only for an Azurite running here.
/// </summary>
internal sealed class CpuClock
{
    private readonly BenchStorage _storage;
    private readonly TimeSpan _ownAtStart;
    private readonly TimeSpan? _storageAtStart;

    private CpuClock(BenchStorage storage)
    {
        _storage = storage;
        _ownAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        _storageAtStart = storage.ProcessorTime;
    }

    public static CpuClock Start(BenchStorage storage) => new(storage);

    /// <summary>Seconds of CPU since the start: this process's, then the storage's (null for an account elsewhere).</summary>
    public (double Own, double? Storage) Elapsed() =>
        ((Process.GetCurrentProcess().TotalProcessorTime - _ownAtStart).TotalSeconds, (_storage.ProcessorTime - _storageAtStart)?.TotalSeconds);

    /// <summary>A figure of the storage's CPU, scaled and formatted, or that it is not known here.</summary>
    public static string Format(double? seconds, Func<double, string> figure) => seconds is { } known ? figure(known) : "unknown (not here)";
}
