using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Typedefs;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas;

/// <summary>Kong's upstreams (kong/db/schema/entities/upstreams.lua), with Konnect's sticky sessions.</summary>
public static class Upstreams
{
    private static readonly string[] s_hashOn = ["none", "consumer", "ip", "header", "cookie", "path", "query_arg", "uri_capture"];

    private static Field Count(string name) => new Field(name, FieldType.Integer) { Default = 0 }.With(Between(0, 255));

    private static Field Statuses(params int[] defaults) => new("http_statuses", FieldType.Array)
    {
        Default = new JsonArray([.. defaults.Select(d => (JsonNode)d)]),
        Elements = new Field("status", FieldType.Integer).With(Between(100, 999)),
    };

    private static Field Seconds(string name, double @default) =>
        new Field(name, FieldType.Number) { Default = @default }.With(Between(0, 65535));

    private static readonly Field s_healthchecks = new("healthchecks", FieldType.Record)
    {
        Fields =
        [
            new Field("active", FieldType.Record)
            {
                Fields =
                [
                    new Field("type", FieldType.String) { Default = "http" }.With(OneOf("tcp", "http", "https", "grpc", "grpcs")),
                    Seconds("timeout", 1),
                    new Field("concurrency", FieldType.Integer) { Default = 10 }.With(Between(1, 2147483648)),
                    Path("http_path") with { Default = "/" },
                    new Field("https_sni", FieldType.String) { OmitWhenNull = true }.With(WildcardHost),
                    Boolean("https_verify_certificate", true, required: true),
                    new Field("headers", FieldType.Map) { Keys = HeaderName("header"), Elements = StringArray("values"), OmitWhenNull = true },
                    new Field("healthy", FieldType.Record) { Fields = [Seconds("interval", 0), Statuses(200, 302), Count("successes")] },
                    new Field("unhealthy", FieldType.Record)
                    {
                        Fields = [Seconds("interval", 0), Statuses(429, 404, 500, 501, 502, 503, 504, 505), Count("tcp_failures"), Count("timeouts"), Count("http_failures")],
                    },
                ],
            },
            new Field("passive", FieldType.Record)
            {
                Fields =
                [
                    new Field("type", FieldType.String) { Default = "http" }.With(OneOf("tcp", "http", "https", "grpc", "grpcs")),
                    new Field("healthy", FieldType.Record)
                    {
                        Fields = [Statuses(200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 306, 307, 308), Count("successes")],
                    },
                    new Field("unhealthy", FieldType.Record)
                    {
                        Fields = [Statuses(429, 500, 503), Count("tcp_failures"), Count("timeouts"), Count("http_failures")],
                    },
                ],
            },
            new Field("threshold", FieldType.Number) { Default = 0 }.With(Between(0, 100)),
        ],
    };

    public static EntitySchema Schema { get; } = new("upstreams",
    [
        Id, CreatedAt, UpdatedAt,
        new Field("name", FieldType.String) { Required = true, Unique = true }.With(UpstreamName),
        new Field("algorithm", FieldType.String) { Default = "round-robin" }
            .With(OneOf("consistent-hashing", "least-connections", "round-robin", "latency", "sticky-sessions")),
        new Field("hash_on", FieldType.String) { Default = "none" }.With(OneOf(s_hashOn)),
        new Field("hash_fallback", FieldType.String) { Default = "none" }.With(OneOf(s_hashOn)),
        HeaderName("hash_on_header"),
        HeaderName("hash_fallback_header"),
        new Field("hash_on_cookie", FieldType.String),
        Path("hash_on_cookie_path") with { Default = "/" },
        new Field("hash_on_query_arg", FieldType.String),
        new Field("hash_fallback_query_arg", FieldType.String),
        new Field("hash_on_uri_capture", FieldType.String),
        new Field("hash_fallback_uri_capture", FieldType.String),
        new Field("slots", FieldType.Integer) { Default = 10000 }.With(Between(10, 65536)),
        s_healthchecks,
        Tags,
        new Field("host_header", FieldType.String).With(HostValidator(allowPort: true)),
        Foreign("client_certificate", "certificates", OnDelete.Restrict),
        Boolean("use_srv_name", false),
        new Field("sticky_sessions_cookie", FieldType.String),
        Path("sticky_sessions_cookie_path") with { Default = "/" },
    ])
    {
        Singular = "upstream",
        EndpointKey = "name",
        Shorthands = HashOnImpliesConsistentHashing,
        Checks =
        [
            Conditional("hash_on", Is("header"), "hash_on_header", Required),
            Conditional("hash_fallback", Is("header"), "hash_fallback_header", Required),
            Conditional("hash_on", Is("cookie"), "hash_on_cookie", Required),
            Conditional("hash_fallback", Is("cookie"), "hash_on_cookie", Required),
            Conditional("hash_on", Is("none"), "hash_fallback", OneOfValues("none")),
            Conditional("hash_on", Is("cookie"), "hash_fallback", OneOfValues("none")),
            Conditional("hash_on", Is("consumer"), "hash_fallback", OneOfValues("none", "ip", "header", "cookie", "path", "query_arg", "uri_capture")),
            Conditional("hash_on", Is("ip"), "hash_fallback", OneOfValues("none", "consumer", "header", "cookie", "path", "query_arg", "uri_capture")),
            Conditional("hash_on", Is("path"), "hash_fallback", OneOfValues("none", "consumer", "header", "cookie", "query_arg", "ip", "uri_capture")),
            Conditional("hash_on", Is("query_arg"), "hash_on_query_arg", Required),
            Conditional("hash_fallback", Is("query_arg"), "hash_fallback_query_arg", Required),
            Conditional("hash_on", Is("uri_capture"), "hash_on_uri_capture", Required),
            Conditional("hash_fallback", Is("uri_capture"), "hash_fallback_uri_capture", Required),
            Conditional("algorithm", Is("sticky-sessions"), "sticky_sessions_cookie", Required),
            Distinct("hash_on_header", "hash_fallback_header"),
            Distinct("hash_on_query_arg", "hash_fallback_query_arg"),
            Distinct("hash_on_uri_capture", "hash_fallback_uri_capture"),
        ],
    };

    /// <summary>Kong's shorthand: hashing on something means consistent hashing, unless told otherwise.</summary>
    private static IEnumerable<FieldError> HashOnImpliesConsistentHashing(JsonObject body)
    {
        if (!body.ContainsKey("algorithm") && body["hash_on"] is { } hashOn
            && hashOn.GetValueKind() == System.Text.Json.JsonValueKind.String && hashOn.GetValue<string>() != "none")
        {
            body["algorithm"] = "consistent-hashing";
        }
        return [];
    }

    /// <summary>An upstream's name is a host name: not an IP address, no port.</summary>
    private static string? UpstreamName(JsonNode value)
    {
        var name = value.GetValue<string>();
        return HostNames.Parse(name) switch
        {
            null => $"Invalid name ('{name}'); must be a valid hostname",
            { Kind: not HostKind.Name } => $"Invalid name ('{name}'); no ip addresses allowed",
            { Port: not null } => $"Invalid name ('{name}'); no port allowed",
            _ => null,
        };
    }
}

/// <summary>Kong's targets (kong/db/schema/entities/targets.lua): created only under their upstream.</summary>
public static class Targets
{
    public const int DefaultPort = 8000;

    public static EntitySchema Schema { get; } = new("targets",
    [
        Id,
        Typedefs.CreatedAt with { Type = FieldType.Number },
        Typedefs.UpdatedAt with { Type = FieldType.Number },
        Foreign("upstream", "upstreams", OnDelete.Cascade, required: true),
        new Field("target", FieldType.String) { Required = true }.With(value =>
            HostNames.Parse(value.GetValue<string>()) is null ? $"Invalid target ('{value.GetValue<string>()}'); not a valid hostname or ip address" : null),
        new Field("weight", FieldType.Integer) { Default = 100 }.With(Between(0, 65535)),
        Tags,
        Boolean("failover", false),
    ])
    {
        Singular = "target",
        EndpointKey = "target",
        CacheKey = ["upstream", "target"],
        NestedOnlyUnder = "upstreams",
        TimestampsInMilliseconds = true,
        Normalize = target =>
        {
            // Kong stores targets normalized, with the default port when none is given.
            if (HostNames.Parse(target["target"]!.GetValue<string>()) is { } host)
            {
                target["target"] = host.Format(DefaultPort);
            }
        },
    };
}
