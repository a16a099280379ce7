using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gatehouse.Core.Composition;

/// <summary>
/// The 32-hex hash a data plane reports back, and the per-section hashes Kong data planes use to
/// decide what to rebuild: the router when routes or services change, the plugins iterator when
/// plugins change, the balancer when upstreams or targets change. The config hash combines them
/// in Kong's order (kong/clustering/config_helper.lua).
/// Every hash is a function of the document's bytes alone (<see cref="Of"/>), so whoever holds a
/// snapshot — the sidecar with what it downloaded or cached — can check it against its hash
/// with the very code that made it.
/// </summary>
public sealed record ConfigHash(string Config, string Routes, string Services, string Plugins, string Upstreams, string Targets, string Rest)
{
    private static readonly JsonReaderOptions s_reader = new() { MaxDepth = 256 };

    public static ConfigHash Combine(string routes, string services, string plugins, string upstreams, string targets, string rest) =>
        new(Convert.ToHexStringLower(MD5.HashData(Encoding.ASCII.GetBytes(routes + services + plugins + upstreams + targets + rest))),
            routes, services, plugins, upstreams, targets, rest);

    /// <summary>
    /// The hashes of a rendered declarative config: <c>routes</c>, <c>services</c> and <c>plugins</c>
    /// are the MD5 of their top-level values as they lie; <c>upstreams</c> of theirs with each
    /// upstream's nested <c>targets</c> cut out, and <c>targets</c> of those nested arrays in order;
    /// the rest of every other top-level key and value (<c>_format_version</c> included). Throws
    /// <see cref="FormatException"/> for anything that is not one JSON object with unique keys.
    /// </summary>
    public static ConfigHash Of(ReadOnlySpan<byte> document)
    {
        try
        {
            return Scan(document);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not a declarative config: {e.Message}", e);
        }
    }

    private static ConfigHash Scan(ReadOnlySpan<byte> document)
    {
        var reader = new Utf8JsonReader(document, s_reader);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("Not a declarative config: the document is not a JSON object.");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        using var rest = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var upstreams = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var targets = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        string? upstreamsHash = null, targetsHash = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            if (!seen.Add(key))
            {
                throw new FormatException($"Not a declarative config: '{key}' appears twice.");
            }
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            switch (key)
            {
                case "routes" or "services" or "plugins":
                    reader.Skip();
                    sections[key] = Md5(document[start..(int)reader.BytesConsumed]);
                    break;
                case "upstreams":
                    HashUpstreams(ref reader, document, upstreams, targets);
                    upstreamsHash = Convert.ToHexStringLower(upstreams.GetHashAndReset());
                    targetsHash = Convert.ToHexStringLower(targets.GetHashAndReset());
                    break;
                default:
                    reader.Skip();
                    rest.AppendData(Encoding.UTF8.GetBytes(key));
                    rest.AppendData(document[start..(int)reader.BytesConsumed]);
                    break;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new FormatException("Not a declarative config: something follows the document.");
        }
        var empty = Md5([]);
        string Section(string key) => sections.GetValueOrDefault(key) ?? empty;
        return Combine(Section("routes"), Section("services"), Section("plugins"), upstreamsHash ?? empty, targetsHash ?? empty,
            Convert.ToHexStringLower(rest.GetHashAndReset()));
    }

    /// <summary>
    /// Feeds the upstreams section to <paramref name="upstreams"/> less every <c>,"targets":[…]</c>
    /// an upstream holds, and those arrays to <paramref name="targets"/>: the balancer's two hashes,
    /// each changing only when its own entities do.
    /// </summary>
    private static void HashUpstreams(ref Utf8JsonReader reader, ReadOnlySpan<byte> document, IncrementalHash upstreams, IncrementalHash targets)
    {
        var sectionStart = (int)reader.TokenStartIndex;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            upstreams.AppendData(document[sectionStart..(int)reader.BytesConsumed]);
            return;
        }
        var depth = reader.CurrentDepth;
        var from = sectionStart;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == depth))
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 2 && reader.ValueTextEquals("targets"u8))
            {
                var cut = (int)reader.TokenStartIndex;
                if (document[cut - 1] == (byte)',')
                {
                    cut--;
                }
                upstreams.AppendData(document[from..cut]);
                reader.Read();
                var value = (int)reader.TokenStartIndex;
                reader.Skip();
                from = (int)reader.BytesConsumed;
                targets.AppendData(document[value..from]);
            }
            else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth > depth + 1)
            {
                reader.Skip();
            }
        }
        upstreams.AppendData(document[from..(int)reader.BytesConsumed]);
    }

    private static string Md5(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));
}
