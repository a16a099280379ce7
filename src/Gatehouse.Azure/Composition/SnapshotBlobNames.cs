namespace Gatehouse.Azure.Composition;

/// <summary>
/// The names of a control plane's snapshot blobs in the snapshots container: <c>{control plane}/{hash}.json</c>,
/// and beside it each compressed copy, <c>{hash}.json.gzip</c> and <c>{hash}.json.br</c>. Import journals
/// live below, in <c>{control plane}/imports/</c>, and are none of these.
/// </summary>
internal static class SnapshotBlobNames
{
    public static readonly string[] Encodings = ["gzip", "br"];

    public static string Prefix(Guid controlPlane) => $"{controlPlane}/";

    public static string Snapshot(Guid controlPlane, string hash) => $"{controlPlane}/{hash}.json";

    public static string Encoded(Guid controlPlane, string hash, string encoding) =>
        Encodings.Contains(encoding)
            ? $"{Snapshot(controlPlane, hash)}.{encoding}"
            : throw new ArgumentException($"Unknown encoding '{encoding}'.", nameof(encoding));

    /// <summary>The hash a blob under the control plane's prefix holds (the snapshot or a copy), and whether it is the snapshot itself; null for anything else.</summary>
    public static (string Hash, bool Original)? Parse(Guid controlPlane, string name)
    {
        var prefix = Prefix(controlPlane);
        if (!name.StartsWith(prefix, StringComparison.Ordinal) || name.IndexOf('/', prefix.Length) >= 0)
        {
            return null;
        }
        var file = name[prefix.Length..];
        if (file.EndsWith(".json", StringComparison.Ordinal))
        {
            return (file[..^".json".Length], true);
        }
        foreach (var encoding in Encodings)
        {
            if (file.EndsWith($".json.{encoding}", StringComparison.Ordinal))
            {
                return (file[..^$".json.{encoding}".Length], false);
            }
        }
        return null;
    }
}
