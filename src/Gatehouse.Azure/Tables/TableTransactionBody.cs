using System.Text;
using System.Text.RegularExpressions;
using Azure;

namespace Gatehouse.Azure.Tables;

/// <summary>
/// The multipart/mixed wire form of an entity-group transaction (one batch, one changeset), and
/// the reading of the service's multipart answer.
/// https://learn.microsoft.com/rest/api/storageservices/performing-entity-group-transactions
/// </summary>
internal static partial class TableTransactionBody
{
    private const string Crlf = "\r\n";

    public static (byte[] Body, string ContentType) Build(
        IReadOnlyList<TableTransactionAction> actions, string tableUri, Func<string, string, string> entityUri)
    {
        var batch = "batch_" + Guid.NewGuid().ToString("N");
        var changeset = "changeset_" + Guid.NewGuid().ToString("N");
        var body = new StringBuilder(1024 * actions.Count);
        body.Append("--").Append(batch).Append(Crlf)
            .Append("Content-Type: multipart/mixed; boundary=").Append(changeset).Append(Crlf)
            .Append(Crlf);

        foreach (var action in actions)
        {
            var entity = action.Entity;
            (string Method, string Uri, ETag? IfMatch, bool WithBody) operation = action.ActionType switch
            {
                TableTransactionActionType.Add => ("POST", tableUri, null, true),
                TableTransactionActionType.UpdateMerge => ("MERGE", entityUri(entity.PartitionKey, entity.RowKey), action.IfMatch, true),
                TableTransactionActionType.UpdateReplace => ("PUT", entityUri(entity.PartitionKey, entity.RowKey), action.IfMatch, true),
                TableTransactionActionType.UpsertMerge => ("MERGE", entityUri(entity.PartitionKey, entity.RowKey), null, true),
                TableTransactionActionType.UpsertReplace => ("PUT", entityUri(entity.PartitionKey, entity.RowKey), null, true),
                TableTransactionActionType.Delete => ("DELETE", entityUri(entity.PartitionKey, entity.RowKey), action.IfMatch, false),
                _ => throw new ArgumentOutOfRangeException(nameof(actions), action.ActionType, "Unknown transaction action."),
            };
            var (method, uri, ifMatch, withBody) = operation;

            body.Append("--").Append(changeset).Append(Crlf)
                .Append("Content-Type: application/http").Append(Crlf)
                .Append("Content-Transfer-Encoding: binary").Append(Crlf)
                .Append(Crlf)
                .Append(method).Append(' ').Append(uri).Append(" HTTP/1.1").Append(Crlf)
                .Append("Accept: application/json;odata=minimalmetadata").Append(Crlf)
                .Append("DataServiceVersion: 3.0;").Append(Crlf);
            if (method == "POST")
            {
                body.Append("Prefer: return-no-content").Append(Crlf);
            }
            if (ifMatch is { } etag)
            {
                body.Append("If-Match: ").Append(etag.ToString("H")).Append(Crlf);
            }
            if (withBody)
            {
                body.Append("Content-Type: application/json").Append(Crlf)
                    .Append(Crlf)
                    .Append(Encoding.UTF8.GetString(TableEntityJson.Serialize(entity)));
            }
            body.Append(Crlf);
        }

        body.Append("--").Append(changeset).Append("--").Append(Crlf)
            .Append("--").Append(batch).Append("--").Append(Crlf);
        return (Encoding.UTF8.GetBytes(body.ToString()), "multipart/mixed; boundary=" + batch);
    }

    /// <summary>One HTTP response inside the multipart answer.</summary>
    public sealed record Part(int Status, IReadOnlyDictionary<string, string> Headers, string Body);

    public static List<Part> Parse(string contentType, string body)
    {
        var parts = new List<Part>();
        ParseMultipart(Boundary(contentType), body, parts);
        return parts;
    }

    /// <summary>
    /// Turns a failed answer into the exception, blaming the operation by the index the service
    /// puts before its message ("1:The specified entity already exists.") or by Content-ID.
    /// </summary>
    public static TableTransactionFailedException Failure(Part failed, int actionCount)
    {
        string? code = null, message = null;
        if (failed.Body.Length > 0)
        {
            try
            {
                using var json = System.Text.Json.JsonDocument.Parse(failed.Body);
                if (json.RootElement.TryGetProperty("odata.error", out var error))
                {
                    code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                    message = error.TryGetProperty("message", out var m) && m.TryGetProperty("value", out var v) ? v.GetString() : null;
                }
            }
            catch (System.Text.Json.JsonException)
            {
                message = failed.Body;
            }
        }

        int? index = null;
        if (message is not null && IndexPrefix().Match(message) is { Success: true } match
            && int.TryParse(match.Groups[1].Value, out var fromMessage) && fromMessage < actionCount)
        {
            index = fromMessage;
        }
        else if (failed.Headers.TryGetValue("Content-ID", out var contentId)
            && int.TryParse(contentId, out var fromContentId) && fromContentId >= 1 && fromContentId <= actionCount)
        {
            index = fromContentId - 1;
        }

        var summary = $"The transaction was refused ({failed.Status} {code})"
            + (index is { } i ? $" at operation {i}" : "")
            + $": {message ?? "no message"}";
        return new TableTransactionFailedException(failed.Status, summary, code, index);
    }

    private static void ParseMultipart(string boundary, string body, List<Part> parts)
    {
        var delimiter = "--" + boundary;
        foreach (var chunk in body.Split(delimiter))
        {
            var section = chunk.TrimStart('\r', '\n');
            if (section.Length == 0 || section.StartsWith("--", StringComparison.Ordinal))
            {
                continue;
            }
            var (headers, content) = SplitHeaders(section);
            if (!headers.TryGetValue("Content-Type", out var type))
            {
                continue;
            }
            if (type.StartsWith("multipart/mixed", StringComparison.OrdinalIgnoreCase))
            {
                ParseMultipart(Boundary(type), content, parts);
            }
            else if (type.StartsWith("application/http", StringComparison.OrdinalIgnoreCase))
            {
                parts.Add(ParseHttpResponse(content));
            }
        }
    }

    private static Part ParseHttpResponse(string text)
    {
        var lineEnd = text.IndexOf('\n', StringComparison.Ordinal);
        var statusLine = (lineEnd < 0 ? text : text[..lineEnd]).Trim();
        var fields = statusLine.Split(' ', 3);
        if (fields.Length < 2 || !int.TryParse(fields[1], out var status))
        {
            throw new FormatException($"The transaction answer has a malformed status line: '{statusLine}'.");
        }
        var (headers, body) = SplitHeaders(lineEnd < 0 ? "" : text[(lineEnd + 1)..]);
        return new Part(status, headers, body.Trim());
    }

    private static (Dictionary<string, string> Headers, string Remainder) SplitHeaders(string section)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var position = 0;
        while (position < section.Length)
        {
            var end = section.IndexOf('\n', position);
            if (end < 0)
            {
                end = section.Length;
            }
            var line = section[position..end].TrimEnd('\r');
            position = end + 1;
            if (line.Length == 0)
            {
                break;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }
        return (headers, position < section.Length ? section[position..] : "");
    }

    private static string Boundary(string contentType)
    {
        foreach (var parameter in contentType.Split(';', StringSplitOptions.TrimEntries))
        {
            if (parameter.StartsWith("boundary=", StringComparison.OrdinalIgnoreCase))
            {
                return parameter["boundary=".Length..].Trim('"');
            }
        }
        throw new FormatException($"The transaction answer's Content-Type '{contentType}' names no boundary.");
    }

    [GeneratedRegex(@"^(\d+):")]
    private static partial Regex IndexPrefix();
}
