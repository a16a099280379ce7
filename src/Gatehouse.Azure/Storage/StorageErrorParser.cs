using System.Text.Json;
using System.Xml;
using Azure;
using Azure.Core;

namespace Gatehouse.Azure.Storage;

/// <summary>
/// Reads the error code and message of a failed storage response: the <c>x-ms-error-code</c>
/// header first, then the body, which is XML for Blob and Queue and OData JSON for Table.
/// </summary>
internal sealed class StorageErrorParser : RequestFailedDetailsParser
{
    public static StorageErrorParser Shared { get; } = new();

    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        data = null;
        response.Headers.TryGetValue("x-ms-error-code", out var code);
        string? message = null;

        var content = response.Content;
        if (content is not null && !content.ToMemory().IsEmpty)
        {
            try
            {
                (var bodyCode, message) = LooksLikeJson(content) ? ParseJson(content) : ParseXml(content);
                code ??= bodyCode;
            }
            catch (Exception e) when (e is JsonException or XmlException)
            {
                // Not a storage error body (a proxy's HTML page, say): the status still says enough.
            }
        }

        // A 304 carries no body and no code; name it as the SDK does so callers can match on it.
        if (code is null && response.Status == 304)
        {
            code = "ConditionNotMet";
        }

        error = code is null && message is null ? null : new ResponseError(code, message);
        return error is not null;
    }

    private static bool LooksLikeJson(BinaryData content)
    {
        foreach (var b in content.ToMemory().Span)
        {
            if (!char.IsWhiteSpace((char)b))
            {
                return b == (byte)'{';
            }
        }
        return false;
    }

    private static (string? Code, string? Message) ParseJson(BinaryData content)
    {
        using var document = JsonDocument.Parse(content);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }
        if (!root.TryGetProperty("odata.error", out var error) && !root.TryGetProperty("error", out error))
        {
            return (null, null);
        }
        var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        string? message = null;
        if (error.TryGetProperty("message", out var m))
        {
            message = m.ValueKind switch
            {
                JsonValueKind.String => m.GetString(),
                JsonValueKind.Object when m.TryGetProperty("value", out var v) => v.GetString(),
                _ => null,
            };
        }
        return (code, message);
    }

    private static (string? Code, string? Message) ParseXml(BinaryData content)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(content.ToStream(), settings);
        string? code = null, message = null;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element || reader.Depth != 1)
            {
                continue;
            }
            switch (reader.LocalName)
            {
                case "Code":
                    code = reader.ReadElementContentAsString();
                    break;
                case "Message":
                    message = reader.ReadElementContentAsString();
                    break;
            }
        }
        return (code, message);
    }
}
