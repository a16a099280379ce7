using System.Collections.Concurrent;
using System.Diagnostics;

namespace Gatehouse.Testing.Processes;

/// <summary>
/// The sidecar as a real process (the build next to the tests), started with flags as an operator
/// would; its output is kept for the test's failure message. Killed on dispose.
/// </summary>
public sealed class SidecarProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SidecarProcess(Process process, ConcurrentQueue<string> output)
    {
        _process = process;
        Output = output;
    }

    public ConcurrentQueue<string> Output { get; }

    public bool HasExited => _process.HasExited;

    public static SidecarProcess Start(IReadOnlyDictionary<string, string> flags) => Start(flags.SelectMany(f => new[] { f.Key, f.Value }));

    /// <summary>Started with exactly these arguments, in this order (a command line read from elsewhere).</summary>
    public static SidecarProcess Start(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Gatehouse.Sidecar")) { WorkingDirectory = AppContext.BaseDirectory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var (process, output) = CapturedProcess.Start(start);
        return new SidecarProcess(process, output);
    }

    public async Task<int> WaitForExitAsync(TimeSpan within, CancellationToken cancellationToken = default)
    {
        await _process.WaitForExitAsync(cancellationToken).WaitAsync(within, cancellationToken);
        return _process.ExitCode;
    }

    /// <summary>Stops it the hard way, as a crash or a lost machine would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public string Log => string.Join('\n', Output);

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
