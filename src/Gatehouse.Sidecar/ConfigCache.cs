using Gatehouse.Core.Composition;

namespace Gatehouse.Sidecar;

/// <summary>
/// The last configuration the sidecar received, kept on disk so Kong can be given it again after
/// a restart while the control plane is away. The file is named by its hash, which its bytes are
/// checked against when read, so a damaged file is never taken for a config. Writes are atomic:
/// a crash mid-write leaves the previous file whole, never a torn one. One writer at a time (the
/// sidecar's sync loop); readers may read while it writes.
/// </summary>
internal sealed class ConfigCache(string directory)
{
    private const string Prefix = "config-";
    private const string Suffix = ".json";

    public string Directory => directory;

    /// <summary>Writes to a temporary file, flushes it to disk, renames it into place, then drops older ones.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> config, string hash, CancellationToken cancellationToken)
    {
        if (hash.Length != 32 || !hash.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException($"'{hash}' is not a config hash.", nameof(hash));
        }
        System.IO.Directory.CreateDirectory(directory);
        var path = PathOf(hash);
        var temporary = Path.Combine(directory, $".{Prefix}{hash}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(config, cancellationToken).ConfigureAwait(false);
                // rename(2) is atomic, but only durable if the bytes reached the disk first.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        foreach (var older in Files().Where(f => f != path))
        {
            File.Delete(older);
        }
    }

    /// <summary>
    /// The newest cached config whose bytes match the hash in its name, or null when there is none.
    /// <paramref name="discarded"/> hears of each file that did not match (and is deleted).
    /// </summary>
    public async Task<(ReadOnlyMemory<byte> Config, string Hash)?> ReadAsync(Action<string, string>? discarded, CancellationToken cancellationToken)
    {
        foreach (var file in Files().OrderByDescending(File.GetLastWriteTimeUtc))
        {
            var name = Path.GetFileName(file);
            var hash = name[Prefix.Length..^Suffix.Length];
            byte[] bytes;
            try
            {
                bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            }
            catch (FileNotFoundException)
            {
                // Replaced by a newer write since the listing: that one is read on the next call.
                continue;
            }
            string? reason;
            try
            {
                reason = ConfigHash.Of(bytes).Config == hash ? null : "its content does not match its hash";
            }
            catch (FormatException e)
            {
                reason = e.Message;
            }
            if (reason is null)
            {
                return (bytes, hash);
            }
            discarded?.Invoke(file, reason);
            File.Delete(file);
        }
        return null;
    }

    private string PathOf(string hash) => Path.Combine(directory, Prefix + hash + Suffix);

    private IEnumerable<string> Files() => System.IO.Directory.Exists(directory)
        ? System.IO.Directory.EnumerateFiles(directory, Prefix + "*" + Suffix).Where(f => Path.GetFileName(f).Length == Prefix.Length + 32 + Suffix.Length).ToList()
        : [];
}
