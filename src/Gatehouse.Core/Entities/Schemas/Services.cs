using System.Text.Json;
using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Typedefs;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas;

/// <summary>Kong's services (kong/db/schema/entities/services.lua).</summary>
public static class Services
{
    private static readonly string[] s_noPath = ["tcp", "tls", "udp", "grpc", "grpcs"];
    private static readonly string[] s_tlsProtocols = ["https", "tls", "wss"];

    public static EntitySchema Schema { get; } = new("services",
    [
        Id, CreatedAt, UpdatedAt,
        Utf8Name(),
        new Field("retries", FieldType.Integer) { Default = 5 }.With(Between(0, 32767)),
        Protocol("protocol", required: true, "http"),
        Host("host", required: true),
        Port("port", required: true, 80),
        Path("path"),
        Timeout("connect_timeout", 60000),
        Timeout("write_timeout", 60000),
        Timeout("read_timeout", 60000),
        Tags,
        Foreign("client_certificate", "certificates", OnDelete.Restrict),
        Boolean("tls_verify", null),
        new Field("tls_verify_depth", FieldType.Integer).With(Between(0, 64)),
        new Field("ca_certificates", FieldType.Array) { Elements = new Field("ca_certificate", FieldType.String).With(Uuid) },
        Boolean("enabled", true, required: true),
    ])
    {
        Singular = "service",
        EndpointKey = "name",
        Shorthands = ExpandUrl,
        Checks =
        [
            Conditional("protocol", Is(s_noPath), "path", MustBeNull),
            Conditional("protocol", IsNot(s_tlsProtocols), "client_certificate", MustBeNull),
            Conditional("protocol", IsNot(s_tlsProtocols), "tls_verify", MustBeNull),
            Conditional("protocol", IsNot(s_tlsProtocols), "tls_verify_depth", MustBeNull),
            Conditional("protocol", IsNot(s_tlsProtocols), "ca_certificates", MustBeNull),
        ],
    };

    /// <summary>
    /// <c>url</c> is shorthand for protocol, host, port and path, and wins over them. A missing
    /// port follows the scheme (443 for https and wss, else 80); a missing path is null.
    /// </summary>
    private static IEnumerable<FieldError> ExpandUrl(JsonObject body)
    {
        if (!body.TryGetPropertyValue("url", out var url))
        {
            yield break;
        }
        body.Remove("url");
        if (url is null)
        {
            yield break;
        }
        if (url.GetValueKind() != JsonValueKind.String)
        {
            yield return new FieldError("url", "expected a string");
            yield break;
        }
        var text = url.GetValue<string>();
        if (text.Length == 0)
        {
            yield return new FieldError("url", "length must be at least 1");
            yield break;
        }
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            yield return new FieldError("url", "missing scheme in url");
            yield break;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            yield return new FieldError("url", text[(schemeEnd + 3)..].Length == 0 ? "missing host in url" : "could not parse url. invalid url");
            yield break;
        }
        var scheme = text[..schemeEnd].ToLowerInvariant();
        body["protocol"] = scheme;
        body["host"] = uri.IsDefaultPort || uri.HostNameType != UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host;
        body["port"] = uri.IsDefaultPort && !HasExplicitPort(text, schemeEnd) ? (scheme is "https" or "wss" ? 443 : 80) : uri.Port;
        var path = uri.AbsolutePath;
        body["path"] = path is "" or "/" && !text[(schemeEnd + 3)..].Contains('/', StringComparison.Ordinal) ? null : path;
    }

    private static bool HasExplicitPort(string url, int schemeEnd)
    {
        var authority = url[(schemeEnd + 3)..].Split('/', '?', '#')[0];
        var colon = authority.LastIndexOf(':');
        return colon >= 0 && colon > authority.LastIndexOf(']');
    }
}
