using System.Collections.Concurrent;
using System.Diagnostics;

namespace Gatehouse.Testing.Processes;

public static class CapturedProcess
{
    /// <summary>Starts the process with its standard output and error, line by line, in one queue (for failure messages and log checks).</summary>
    public static (Process Process, ConcurrentQueue<string> Output) Start(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start)!;
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, output);
    }
}
