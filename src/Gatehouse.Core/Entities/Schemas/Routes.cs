using System.Text.Json;
using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Typedefs;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas;

/// <summary>Kong's routes (kong/db/schema/entities/routes.lua and routes_subschemas.lua), traditional matchers.</summary>
public static class Routes
{
    private static readonly string[] s_sniProtocols = ["grpcs", "https", "tls", "tls_passthrough", "wss"];
    private static readonly string[][] s_protocolGroups =
        [["http", "https"], ["tcp", "tls", "udp"], ["tls_passthrough"], ["grpc", "grpcs"], ["ws", "wss"]];

    private static Field SourceOrDestination(string name) => new(name, FieldType.Set)
    {
        Elements = new Field(name, FieldType.Record)
        {
            Fields = [new Field("ip", FieldType.String).With(IpOrCidr), Port("port")],
            RecordChecks = [AtLeastOneOf("ip", "port")],
        },
    };

    private static readonly string[] s_matchers = ["methods", "hosts", "paths", "headers", "snis", "sources", "destinations"];

    /// <summary>Both kinds of route: at least one protocol, HTTP and HTTPS by default (ent/routes).</summary>
    private static readonly Field s_protocols = new Field("protocols", FieldType.Set)
    {
        Required = true,
        Default = new JsonArray("http", "https"),
        Elements = Protocol("protocol"),
    }.With(LengthMin(1));

    /// <summary>
    /// A route matched by an ATC expression (Kong's expressions router; Konnect's RouteExpression):
    /// <c>expression</c> and <c>priority</c> instead of the matcher fields. The expression's own
    /// syntax is the data plane's to check.
    /// </summary>
    public static EntitySchema ExpressionSchema { get; } = new("routes",
    [
        Id, CreatedAt, UpdatedAt,
        Utf8Name(),
        s_protocols,
        new Field("expression", FieldType.String) { Required = true },
        new Field("priority", FieldType.Integer) { Required = true, Default = 0 }.With(Between(0, 70368744177663)),
        new Field("https_redirect_status_code", FieldType.Integer) { Required = true, Default = 426 }.With(OneOfIntegers(426, 301, 302, 307, 308)),
        Boolean("strip_path", true, required: true),
        new Field("path_handling", FieldType.String) { Default = "v0" }.With(OneOf("v0", "v1")),
        Boolean("preserve_host", false, required: true),
        Boolean("request_buffering", true, required: true),
        Boolean("response_buffering", true, required: true),
        Tags,
        Foreign("service", "services", OnDelete.Restrict),
    ])
    {
        Singular = "route",
        EndpointKey = "name",
        Shorthands = ExpressionWithoutMatchers,
        Checks = [ProtocolGroups],
    };

    public static EntitySchema Schema { get; } = new("routes",
    [
        Id, CreatedAt, UpdatedAt,
        Utf8Name(),
        s_protocols,
        new Field("methods", FieldType.Set) { Elements = HttpMethod("method") },
        new Field("hosts", FieldType.Array) { Elements = new Field("host", FieldType.String).With(Typedefs.HostWithWildcards) },
        new Field("paths", FieldType.Array) { Elements = new Field("path", FieldType.String).With(value => RouterPaths.Check(value.GetValue<string>())) },
        new Field("headers", FieldType.Map)
        {
            Keys = HeaderName("header").With(LuaMatchNone("^[Hh][Oo][Ss][Tt]$", "cannot contain 'host' header, which must be specified in the 'hosts' attribute")),
            Elements = StringArray("values"),
        },
        new Field("https_redirect_status_code", FieldType.Integer) { Required = true, Default = 426 }.With(OneOfIntegers(426, 301, 302, 307, 308)),
        new Field("regex_priority", FieldType.Integer) { Default = 0 },
        Boolean("strip_path", true, required: true),
        new Field("path_handling", FieldType.String) { Default = "v0" }.With(OneOf("v0", "v1")),
        Boolean("preserve_host", false, required: true),
        Boolean("request_buffering", true, required: true),
        Boolean("response_buffering", true, required: true),
        new Field("snis", FieldType.Set) { Elements = new Field("sni", FieldType.String).With(WildcardHost) },
        SourceOrDestination("sources"),
        SourceOrDestination("destinations"),
        Tags,
        Foreign("service", "services", OnDelete.Restrict),
    ])
    {
        Singular = "route",
        EndpointKey = "name",
        Shorthands = TraditionalShorthands,
        Checks = [ProtocolGroups, BySubschema, SnisNeedTls],
        Variant = (input, existing) => IsExpression(input, existing) ? ExpressionSchema : TraditionalSchema,
    };


    /// <summary>The traditional route, without the variant selector (so that choosing it does not recurse).</summary>
    private static EntitySchema TraditionalSchema => s_traditional ??= Schema with { Variant = null };

    private static EntitySchema? s_traditional;

    private static bool IsExpression(JsonObject input, JsonObject? existing) =>
        input.TryGetPropertyValue("expression", out var expression)
            ? expression is not null
            : existing?.ContainsKey("expression") == true;

    /// <summary>Kong's refusal of an expression route that also names matchers, in Kong's words.</summary>
    private static IEnumerable<FieldError> ExpressionWithoutMatchers(JsonObject body)
    {
        var errors = GrpcStripPathDefault(body).ToList();
        if (s_matchers.Any(m => body[m] is not null))
        {
            errors.Add(FieldError.Entity(
                "Router Expression failed validation: cannot set 'expression' with 'methods', 'hosts', 'paths', 'headers', 'snis', 'sources' or 'destinations' simultaneously"));
        }
        if (body["regex_priority"] is { } priority && !(priority.GetValueKind() == JsonValueKind.Number && priority.GetValue<JsonElement>().GetDouble() == 0))
        {
            errors.Add(FieldError.Entity("Router Expression failed validation: cannot set 'regex_priority' with 'expression' simultaneously"));
        }
        foreach (var matcher in s_matchers.Append("regex_priority"))
        {
            body.Remove(matcher);
        }
        return errors;
    }

    /// <summary>A traditional route may say it has no expression (as a PATCH turning an expression route back does).</summary>
    private static IEnumerable<FieldError> TraditionalShorthands(JsonObject body)
    {
        if (body.TryGetPropertyValue("expression", out var expression) && expression is null)
        {
            body.Remove("expression");
        }
        if (body.TryGetPropertyValue("priority", out var priority) && (priority is null || priority.ToJsonString() == "0"))
        {
            body.Remove("priority");
        }
        return GrpcStripPathDefault(body);
    }

    /// <summary>gRPC routes cannot strip the path, so their default is false, not true.</summary>
    private static IEnumerable<FieldError> GrpcStripPathDefault(JsonObject body)
    {
        if (!body.ContainsKey("strip_path") && Strings(body["protocols"]).Any(p => p is "grpc" or "grpcs"))
        {
            body["strip_path"] = false;
        }
        return [];
    }

    private static IEnumerable<FieldError> ProtocolGroups(JsonObject route, CheckContext context)
    {
        var protocols = Strings(route["protocols"]);
        var groups = s_protocolGroups.Where(g => g.Any(protocols.Contains)).ToList();
        if (groups.Count > 1)
        {
            var listed = groups
                .OrderBy(g => protocols.ToList().FindIndex(g.Contains))
                .Select(g => "(" + string.Join(", ", g.Where(protocols.Contains).Select(p => $"'{p}'")) + ")");
            yield return new FieldError("protocols", $"these sets are mutually exclusive: {string.Join(", ", listed)}");
        }
    }

    private static IEnumerable<FieldError> BySubschema(JsonObject route, CheckContext context)
    {
        var protocols = Strings(route["protocols"]);
        if (protocols.Count == 0)
        {
            yield break;
        }

        IEnumerable<FieldError> Forbid(string field, string when) =>
            IsSet(route[field]) ? [new FieldError(field, $"cannot set '{field}' when 'protocols' is {when}")] : [];

        IEnumerable<FieldError> Need(string[] fields, string when) =>
            fields.Any(f => IsSet(route[f])) ? [] : [FieldError.Entity($"must set one of {Quote(fields)} when 'protocols' is {when}")];

        var first = protocols[0];
        IEnumerable<FieldError> errors = first switch
        {
            "http" or "https" => Forbid("sources", "'http' or 'https'")
                .Concat(Forbid("destinations", "'http' or 'https'"))
                .Concat(protocols.Contains("https")
                    ? Need(["methods", "hosts", "headers", "paths", "snis"], "'https'")
                    : Need(["methods", "hosts", "headers", "paths"], "'http'")),
            "tcp" or "tls" or "udp" or "tls_passthrough" => new[] { "methods", "hosts", "paths", "headers" }
                .SelectMany(f => Forbid(f, "'tcp', 'tls', 'tls_passthrough' or 'udp'"))
                .Concat(protocols.All(p => p == "tls_passthrough")
                    ? IsSet(route["snis"]) ? [] : [FieldError.Entity("must set snis when 'protocols' is 'tls_passthrough'")]
                    : Need(["sources", "destinations", "snis"], "'tcp', 'tls' or 'udp'")),
            "grpc" or "grpcs" => (route["strip_path"]?.GetValueKind() == JsonValueKind.True
                    ? [new FieldError("strip_path", "cannot set 'strip_path' when 'protocols' is 'grpc' or 'grpcs'")]
                    : Enumerable.Empty<FieldError>())
                .Concat(new[] { "methods", "sources", "destinations" }.SelectMany(f => Forbid(f, "'grpc' or 'grpcs'")))
                .Concat(protocols.Contains("grpcs")
                    ? Need(["hosts", "headers", "paths", "snis"], "'grpcs'")
                    : Need(["hosts", "headers", "paths"], "'grpc'")),
            "ws" or "wss" => new[] { "sources", "destinations", "methods" }.SelectMany(f => Forbid(f, "'ws' or 'wss'"))
                .Concat(protocols.Contains("wss")
                    ? Need(["hosts", "headers", "paths", "snis"], "'wss'")
                    : Need(["hosts", "headers", "paths"], "'ws'")),
            _ => [],
        };
        foreach (var error in errors)
        {
            yield return error;
        }
    }

    private static IEnumerable<FieldError> SnisNeedTls(JsonObject route, CheckContext context)
    {
        var protocols = Strings(route["protocols"]);
        if (protocols.Count > 0 && !protocols.Any(s_sniProtocols.Contains) && IsSet(route["snis"]))
        {
            yield return new FieldError("snis", "length must be 0");
            yield return FieldError.Entity("'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls', 'tls_passthrough', or 'wss'");
        }
    }
}
