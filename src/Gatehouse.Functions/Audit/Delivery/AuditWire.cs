using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Gatehouse.Core.Audit;
using Gatehouse.Core.Audit.Delivery;

namespace Gatehouse.Functions.Audit.Delivery;

/// <summary>
/// Entries as a webhook receives them, each signed on its own as Konnect signs them: the signature is
/// over the entry exactly as sent with its <c>sig</c> removed. JSON: <see cref="AuditJson.Write"/>'s
/// object with <c>"sig"</c> as its last member, so removing <c>,"sig":"…"</c> gives the signed bytes;
/// a batch is a JSON array. CEF: Konnect's line (<c>CEF:0|KongInc|Konnect|1.0|konnect|{name}|1|rt=… src=…</c>)
/// with <c> sig=…</c> last, signed without it; a batch is one line per entry. Batches are gzipped.
/// </summary>
internal sealed class AuditWire(AuditSigner signer)
{
    public string ContentType(string format) => format == AuditLogFormats.Json ? "application/json" : "text/plain; charset=utf-8";

    public async Task<byte[]> BatchAsync(string format, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        if (format == AuditLogFormats.Json)
        {
            text.Append('[');
            foreach (var entry in entries)
            {
                text.Append(text.Length > 1 ? "," : "").Append(await JsonAsync(entry, cancellationToken).ConfigureAwait(false));
            }
            text.Append(']');
        }
        else
        {
            foreach (var entry in entries)
            {
                text.Append(await CefAsync(entry, cancellationToken).ConfigureAwait(false)).Append('\n');
            }
        }
        using var gzipped = new MemoryStream();
        await using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken).ConfigureAwait(false);
        }
        return gzipped.ToArray();
    }

    public async Task<string> JsonAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var unsigned = JsonSerializer.Serialize(AuditJson.Write(entry));
        var sig = await signer.SignAsync(Encoding.UTF8.GetBytes(unsigned), cancellationToken).ConfigureAwait(false);
        return $"{unsigned[..^1]},\"sig\":\"{sig}\"}}";
    }

    public async Task<string> CefAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var unsigned = Cef(entry);
        var sig = await signer.SignAsync(Encoding.UTF8.GetBytes(unsigned), cancellationToken).ConfigureAwait(false);
        return $"{unsigned} sig={sig}";
    }

    /// <summary>
    /// A syslog timestamp and host, then CEF. Konnect's own keys where it has them (<c>rt</c> in Unix
    /// milliseconds, <c>src</c>, <c>action</c>, <c>principal_id</c>, <c>trace_id</c>, <c>user_agent</c>,
    /// <c>kong_initiated</c>), then Gatehouse's in the same snake_case, and standard CEF
    /// <c>requestMethod</c>, <c>request</c>, <c>outcome</c>.
    /// </summary>
    private static string Cef(AuditEntry entry)
    {
        var json = AuditJson.Write(entry);
        var time = entry.Time.UtcDateTime;
        var header = $"{time.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture)} gatehouse CEF:0|KongInc|Konnect|1.0|konnect|{Header(entry.Action)}|1|";
        var fields = new (string Key, object? Value)[]
        {
            ("rt", entry.Time.ToUnixTimeMilliseconds()),
            ("src", entry.SourceIp),
            ("action", entry.Action),
            ("id", entry.Id.ToString("D")),
            ("principal_type", entry.Principal.Type),
            ("principal_id", entry.Principal.Id),
            ("principal_name", entry.Principal.Name),
            ("kong_initiated", "false"),
            ("control_plane_id", entry.ControlPlaneId?.ToString("D")),
            ("requestMethod", entry.Method),
            ("request", entry.Target),
            ("status", entry.Status),
            ("outcome", json["result"]),
            ("request_id", entry.RequestId),
            ("trace_id", entry.TraceId),
            ("user_agent", entry.UserAgent),
        };
        return header + string.Join(' ', fields.Where(f => f.Value is not null)
            .Select(f => $"{f.Key}={Extension(Convert.ToString(f.Value, CultureInfo.InvariantCulture)!)}"));
    }

    // CEF escaping: in the header a pipe and a backslash; in extension values an equals sign, a backslash and line breaks.
    private static string Header(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);

    private static string Extension(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal).Replace("=", "\\=", StringComparison.Ordinal)
        .Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
