using System.Text;

namespace Gatehouse.Sidecar;

/// <summary>
/// The last configuration the sidecar received, kept on disk so Kong can be given it again after
/// a restart while the control plane is away. Writes are atomic: a crash mid-write leaves the
/// previous file whole, never a torn one.
/// </summary>
internal sealed class ConfigCache(string directory)
{
    private const string FileName = "config.json";

    public string Path => System.IO.Path.Combine(directory, FileName);

    /// <summary>Writes to a temporary file, flushes it to disk, then renames it over the old one.</summary>
    public async Task WriteAsync(string config, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var temporary = System.IO.Path.Combine(directory, $".{FileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(config), cancellationToken).ConfigureAwait(false);
                // rename(2) is atomic, but only durable if the bytes reached the disk first.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, Path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>The cached configuration, or null when there is none yet.</summary>
    public async Task<string?> ReadAsync(CancellationToken cancellationToken) =>
        File.Exists(Path) ? await File.ReadAllTextAsync(Path, cancellationToken).ConfigureAwait(false) : null;
}
