using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities;

/// <summary>Kong's shared field types (kong/db/schema/typedefs.lua) with their rules and messages.</summary>
public static partial class Typedefs
{
    public static readonly string[] Protocols = ["grpc", "grpcs", "http", "https", "tcp", "tls", "tls_passthrough", "udp", "ws", "wss"];

    public static Field Id { get; } = new Field("id", FieldType.String) { Auto = true }.With(Uuid);

    public static Field CreatedAt { get; } = new("created_at", FieldType.Integer) { Auto = true };

    public static Field UpdatedAt { get; } = new("updated_at", FieldType.Integer) { Auto = true };

    public static Field Tags { get; } = new("tags", FieldType.Set)
    {
        Elements = new Field("tag", FieldType.String).With(LengthMin(1), Match(TagPattern(), v =>
            $"invalid tag '{v}': expected printable ascii (except `,` and `/`) or valid utf-8 sequences")),
    };

    /// <summary>Unicode names: letters of any script, digits, and '.', '-', '_', '~'.</summary>
    public static Field Utf8Name(string name = "name", bool unique = true) => new Field(name, FieldType.String) { Unique = unique }
        .With(LengthMin(1), Match(Utf8NamePattern(), v =>
            $"invalid value '{v}': the only accepted ascii characters are alphanumerics or ., -, _, and ~"));

    public static Field Protocol(string name, bool required = false, string? @default = null) => new Field(name, FieldType.String)
    {
        Required = required,
        Default = @default is null ? null : JsonValue.Create(@default),
    }.With(OneOf(Protocols));

    public static Field Port(string name, bool required = false, int? @default = null) => new Field(name, FieldType.Integer)
    {
        Required = required,
        Default = @default is null ? null : JsonValue.Create(@default.Value),
    }.With(Between(0, 65535));

    public static Field Timeout(string name, int @default) =>
        new Field(name, FieldType.Integer) { Default = @default }.With(Between(1, 2147483646));

    public static Field Boolean(string name, bool? @default, bool required = false) =>
        new(name, FieldType.Boolean) { Default = @default is null ? null : JsonValue.Create(@default.Value), Required = required };

    public static Field Foreign(string name, string reference, OnDelete onDelete, bool required = false) =>
        new(name, FieldType.Foreign) { Reference = reference, OnDelete = onDelete, Required = required };

    /// <summary>A host name or IP address without a port.</summary>
    public static Field Host(string name, bool required = false) =>
        new Field(name, FieldType.String) { Required = required }.With(LengthMin(1), HostValidator(allowPort: false));

    /// <summary>typedefs.http_method (typedefs.lua:247-251): upper-case letters, as Kong matches them.</summary>
    public static Field HttpMethod(string name) => new Field(name, FieldType.String).With(LuaMatch("^%u+$"));

    public static Field Path(string name) => new Field(name, FieldType.String).With(LengthMin(1), StartsWith("/"), PathValidator);

    public static Field HeaderName(string name) => new Field(name, FieldType.String).With(LengthMin(1), Match(HeaderNamePattern(), v =>
        $"bad header name '{v}', allowed characters are A-Z, a-z, 0-9, '_', and '-'"));

    public static Field StringArray(string name, FieldType type = FieldType.Array) =>
        new(name, type) { Elements = new Field("item", FieldType.String).With(LengthMin(1)) };

    public static Validator HostValidator(bool allowPort) => value =>
    {
        var host = value.GetValue<string>();
        if (HostNames.Parse(host) is not { } parsed)
        {
            return $"invalid value: {host}";
        }
        return !allowPort && parsed.Port is not null ? "must not have a port" : null;
    };

    /// <summary>
    /// typedefs.url (typedefs.lua:205-221, 331-335): what LuaSocket 3.0-rc1's <c>url.parse</c>
    /// (the version kong-3.9.3-0.rockspec pins) reads as the host and the scheme must both be
    /// there. The parse itself cannot fail on a non-empty string, so only those two are refused.
    /// </summary>
    public static Validator Url { get; } = value => SocketUrl.Parse(value.GetValue<string>()) switch
    {
        { Host: null } => "missing host in url",
        { Scheme: null } => "missing scheme in url",
        _ => null,
    };

    /// <summary>
    /// An element of typedefs.hosts (typedefs.lua:575-592, 495-498): at most one wildcard, as a
    /// whole leftmost or rightmost label, and with it replaced a host with an optional port.
    /// </summary>
    public static Validator HostWithWildcards { get; } = value =>
    {
        var host = value.GetValue<string>();
        if (host.Count(c => c == '*') > 1)
        {
            return "invalid wildcard: must have at most one wildcard";
        }
        if (host.Contains('*', StringComparison.Ordinal) && !host.StartsWith("*.", StringComparison.Ordinal) && !host.EndsWith(".*", StringComparison.Ordinal))
        {
            return "invalid wildcard: must be placed at leftmost or rightmost label";
        }
        var concrete = host.Replace("*", "abc", StringComparison.Ordinal);
        return HostNames.Parse(concrete) is null ? $"invalid hostname: {concrete}" : null;
    };

    /// <summary>The RFC 3986 characters and percent-encoding check of Kong's path typedef.</summary>
    public static Validator PathValidator { get; } = value =>
    {
        var path = value.GetValue<string>();
        if (path.Contains("//", StringComparison.Ordinal))
        {
            return "must not have empty segments";
        }
        if (!PathCharacters().IsMatch(path))
        {
            return $"invalid path: '{path}' (characters outside of the reserved list of RFC 3986 found)";
        }
        return PercentEncoding(path);
    };

    /// <summary>A wildcard SNI or host: at most one '*', leftmost or rightmost, then a valid name, not an IP.</summary>
    public static Validator WildcardHost { get; } = value =>
    {
        var host = value.GetValue<string>();
        var stars = host.Count(c => c == '*');
        if (stars > 1)
        {
            return "only one wildcard must be specified";
        }
        if (stars == 1 && host[0] != '*' && host[^1] != '*')
        {
            return "wildcard must be leftmost or rightmost character";
        }
        var name = host.Replace("*", "wildcard", StringComparison.Ordinal);
        if (HostNames.Parse(name) is not { } parsed)
        {
            return $"invalid value: {name}";
        }
        if (parsed.Kind != HostKind.Name)
        {
            return "must not be an IP";
        }
        return parsed.Port is not null ? "must not have a port" : null;
    };

    public static Validator IpOrCidr { get; } = value =>
    {
        var text = value.GetValue<string>();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var address = slash < 0 ? text : text[..slash];
        var valid = HostNames.Parse(address) is { Kind: HostKind.IPv4 or HostKind.IPv6, Port: null } parsed
            && (slash < 0 || (int.TryParse(text[(slash + 1)..], System.Globalization.NumberStyles.None, null, out var prefix)
                && prefix <= (parsed.Kind == HostKind.IPv4 ? 32 : 128)));
        return valid ? null : $"invalid ip or cidr range: '{text}'";
    };

    /// <summary>Kong's check that every '%' starts a two-digit hex escape.</summary>
    internal static string? PercentEncoding(string path)
    {
        var cleaned = PercentEscape().Replace(path, "___");
        var percent = cleaned.IndexOf('%', StringComparison.Ordinal);
        return percent < 0 ? null : $"invalid url-encoded value: '{cleaned.Substring(percent, Math.Min(3, cleaned.Length - percent))}'";
    }

    [GeneratedRegex(@"^[A-Za-z0-9._~\-\u0080-\uFFFF]+\z")]
    private static partial Regex Utf8NamePattern();

    [GeneratedRegex(@"^[\x20-\x2B\x2D\x2E\x30-\x7E\u0080-\uFFFF]+\z")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_-]+\z")]
    private static partial Regex HeaderNamePattern();

    [GeneratedRegex(@"^/[A-Za-z0-9._~/%:@!$&'()*+,;=-]*\z")]
    private static partial Regex PathCharacters();

    [GeneratedRegex(@"%[0-9A-Fa-f]{2}")]
    private static partial Regex PercentEscape();
}
