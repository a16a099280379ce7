using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gatehouse.Sidecar.Kong;

/// <summary>
/// Turns Kong's refusal of a config (kong/db/errors.lua, <c>declarative_config[_flattened]</c>) into
/// something small enough for a heartbeat: Kong's message, cut to <see cref="MaxMessageChars"/>, and its
/// errors as a JSON array of at most <see cref="MaxDetailsBytes"/> bytes. Entity bodies are left out:
/// they can be large, and a credential's holds its secret.
/// </summary>
internal static class KongRejection
{
    public const int MaxDetailsBytes = 2048;
    public const int MaxMessageChars = 512;
    private const int MaxErrorMessageChars = 256;
    // Room kept for the closing `,{"omitted":N}]` when entries must be dropped.
    private const int OmittedReserve = 32;

    // Kong's own messages quote with ' and may hold non-ASCII: kept readable rather than \u-escaped.
    private static readonly JsonSerializerOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static KongApplyResult.Rejected From(int status, ReadOnlySpan<byte> body)
    {
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            json = null;
        }
        if (json is null)
        {
            var text = Encoding.UTF8.GetString(body).Trim();
            return new($"Kong refused the configuration (HTTP {status}){(text.Length > 0 ? ": " + text : "")}".Truncate(MaxMessageChars), "[]");
        }

        var message = StringOf(json["message"]) ?? $"Kong refused the configuration (HTTP {status})";
        var entries = json["flattened_errors"] is JsonArray { Count: > 0 } flattened
            ? flattened.OfType<JsonObject>().Select(Compact)
            : FieldErrors(json["fields"], "").Select(error => new JsonObject { ["field"] = error.Field, ["message"] = error.Message.Truncate(MaxErrorMessageChars) });
        return new(message.Truncate(MaxMessageChars), Bounded(entries.ToList()));
    }

    private static JsonObject Compact(JsonObject error)
    {
        var compact = new JsonObject();
        foreach (var key in (string[])["entity_type", "entity_name", "entity_id"])
        {
            if (StringOf(error[key]) is { } value)
            {
                compact[key] = value;
            }
        }
        var errors = new JsonArray();
        foreach (var item in (error["errors"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var entry = new JsonObject();
            if (StringOf(item["field"]) is { } field)
            {
                entry["field"] = field;
            }
            entry["message"] = (StringOf(item["message"]) ?? "").Truncate(MaxErrorMessageChars);
            errors.Add(entry);
        }
        compact["errors"] = errors;
        return compact;
    }

    /// <summary>
    /// Kong's nested <c>fields</c> as dotted paths, arrays counted from 1 as in its flattened errors;
    /// an entity's own errors (<c>@entity</c>) carry the entity's path.
    /// </summary>
    private static IEnumerable<(string Field, string Message)> FieldErrors(JsonNode? node, string path, bool entityLevel = false)
    {
        switch (node)
        {
            case JsonObject json:
                foreach (var (key, value) in json)
                {
                    var isEntity = key == "@entity";
                    foreach (var error in FieldErrors(value, isEntity ? path : Join(path, key), isEntity))
                    {
                        yield return error;
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var error in FieldErrors(array[i], entityLevel ? path : Join(path, (i + 1).ToString(CultureInfo.InvariantCulture)), entityLevel))
                    {
                        yield return error;
                    }
                }
                break;
            case JsonValue value:
                yield return (path, StringOf(value) ?? value.ToJsonString());
                break;
        }
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static string Bounded(IReadOnlyList<JsonObject> entries)
    {
        var output = new ArrayBufferWriter<byte>(MaxDetailsBytes);
        output.Write("["u8);
        var written = 0;
        foreach (var entry in entries)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(entry, s_json);
            var separator = written > 0 ? 1 : 0;
            if (output.WrittenCount + separator + bytes.Length + OmittedReserve > MaxDetailsBytes)
            {
                break;
            }
            if (separator > 0)
            {
                output.Write(","u8);
            }
            output.Write(bytes);
            written++;
        }
        if (written < entries.Count)
        {
            output.Write(Encoding.UTF8.GetBytes($"{(written > 0 ? "," : "")}{{\"omitted\":{entries.Count - written}}}"));
        }
        output.Write("]"u8);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
