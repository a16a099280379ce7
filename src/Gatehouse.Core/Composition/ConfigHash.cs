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
        using var sections = new Sections();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            if (!seen.Add(key))
            {
                throw new FormatException($"Not a declarative config: '{key}' appears twice.");
            }
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            sections.Add(key, document[start..(int)reader.BytesConsumed]);
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new FormatException("Not a declarative config: something follows the document.");
        }
        return sections.Hashes();
    }

    /// <summary>
    /// The hashes built from a document's top-level values in order, each given as its key and its
    /// value's bytes: by <see cref="Of"/> from a document it reads, and by the renderer from the
    /// values as it writes them, without reading the document again.
    /// </summary>
    internal sealed class Sections : IDisposable
    {
        private readonly Dictionary<string, string> _sections = new(StringComparer.Ordinal);
        private readonly IncrementalHash _rest = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        private string? _upstreams;
        private string? _targets;
        private string? _keptRest;

        /// <summary>Whether a top-level key is folded into the <c>rest</c> hash rather than hashed on its own.</summary>
        public static bool IsRest(string key) => key is not ("routes" or "services" or "plugins" or "upstreams");

        /// <summary>A section's hashes as <paramref name="kept"/> has them, for bytes written again as they were.</summary>
        public void Reuse(string key, ConfigHash kept)
        {
            switch (key)
            {
                case "routes":
                    _sections[key] = kept.Routes;
                    break;
                case "services":
                    _sections[key] = kept.Services;
                    break;
                case "plugins":
                    _sections[key] = kept.Plugins;
                    break;
                case "upstreams":
                    (_upstreams, _targets) = (kept.Upstreams, kept.Targets);
                    break;
                default:
                    throw new ArgumentException($"'{key}' is hashed with the rest, not on its own.", nameof(key));
            }
        }

        /// <summary>The <c>rest</c> hash of a document whose every other key and value are these same bytes, in the same order.</summary>
        public void ReuseRest(string rest) => _keptRest = rest;

        public void Add(string key, ReadOnlySpan<byte> value)
        {
            if (IsRest(key))
            {
                _rest.AppendData(Encoding.UTF8.GetBytes(key));
                _rest.AppendData(value);
            }
            else if (key == "upstreams")
            {
                using var upstreams = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
                using var targets = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
                HashUpstreams(value, upstreams, targets);
                _upstreams = Convert.ToHexStringLower(upstreams.GetHashAndReset());
                _targets = Convert.ToHexStringLower(targets.GetHashAndReset());
            }
            else
            {
                _sections[key] = Md5(value);
            }
        }

        public ConfigHash Hashes()
        {
            var empty = Md5([]);
            string Section(string key) => _sections.GetValueOrDefault(key) ?? empty;
            return Combine(Section("routes"), Section("services"), Section("plugins"), _upstreams ?? empty, _targets ?? empty,
                _keptRest ?? Convert.ToHexStringLower(_rest.GetHashAndReset()));
        }

        public void Dispose() => _rest.Dispose();
    }

    /// <summary>
    /// Feeds the upstreams section to <paramref name="upstreams"/> less every <c>,"targets":[…]</c>
    /// an upstream holds, and those arrays to <paramref name="targets"/>: the balancer's two hashes,
    /// each changing only when its own entities do.
    /// </summary>
    private static void HashUpstreams(ReadOnlySpan<byte> section, IncrementalHash upstreams, IncrementalHash targets)
    {
        var reader = new Utf8JsonReader(section, s_reader);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            upstreams.AppendData(section);
            return;
        }
        var depth = reader.CurrentDepth;
        var from = 0;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == depth))
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 2 && reader.ValueTextEquals("targets"u8))
            {
                var cut = (int)reader.TokenStartIndex;
                if (section[cut - 1] == (byte)',')
                {
                    cut--;
                }
                upstreams.AppendData(section[from..cut]);
                reader.Read();
                var value = (int)reader.TokenStartIndex;
                reader.Skip();
                from = (int)reader.BytesConsumed;
                targets.AppendData(section[value..from]);
            }
            else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth > depth + 1)
            {
                reader.Skip();
            }
        }
        upstreams.AppendData(section[from..(int)reader.BytesConsumed]);
    }

    private static string Md5(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));
}
