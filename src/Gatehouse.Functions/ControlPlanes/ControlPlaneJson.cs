using System.Text.Json;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Validation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.ControlPlanes;

/// <summary>Control planes on the wire, exactly as the Konnect Control Planes v2 spec shapes them.</summary>
internal static class ControlPlaneJson
{
    private static readonly HashSet<string> s_createFields =
        ["name", "description", "cluster_type", "auth_type", "cloud_gateway", "proxy_urls", "labels"];

    private static readonly HashSet<string> s_updateFields = ["name", "description", "auth_type", "proxy_urls", "labels"];

    private static readonly HashSet<string> s_proxyUrlFields = ["host", "port", "protocol"];

    public static Dictionary<string, object?> Write(ControlPlane cp, string publicUrl) => new()
    {
        ["id"] = cp.Id,
        ["name"] = cp.Name,
        ["description"] = cp.Description,
        ["labels"] = cp.Labels,
        ["config"] = new Dictionary<string, object?>
        {
            ["control_plane_endpoint"] = publicUrl,
            ["telemetry_endpoint"] = publicUrl,
            ["cluster_type"] = cp.ClusterType.ToWire(),
            ["auth_type"] = cp.AuthType.ToWire(),
            ["cloud_gateway"] = cp.CloudGateway,
            ["proxy_urls"] = cp.ProxyUrls.Select(p => new { host = p.Host, port = p.Port, protocol = p.Protocol }),
        },
        ["created_at"] = ApiJson.Timestamp(cp.CreatedAt),
        ["updated_at"] = ApiJson.Timestamp(cp.UpdatedAt),
    };

    public static NewControlPlane ReadCreate(JsonElement body)
    {
        var errors = new List<InvalidParameter>();
        var fields = new JsonFields(body, s_createFields, errors);
        var name = fields.String("name");
        if (name is null && !fields.Has("name"))
        {
            errors.Add(InvalidParameter.Required("name"));
        }
        var request = new NewControlPlane
        {
            Name = name ?? "",
            Description = fields.String("description"),
            ClusterType = Enum<ClusterType>(fields, "cluster_type", WireNames.ClusterTypes, WireNames.TryParseClusterType),
            AuthType = Enum<AuthType>(fields, "auth_type", WireNames.AuthTypes, WireNames.TryParseAuthType),
            CloudGateway = fields.Boolean("cloud_gateway"),
            ProxyUrls = ProxyUrls(fields),
            Labels = fields.StringMap("labels"),
        };
        ThrowIfAny(errors);
        return request;
    }

    public static ControlPlaneChanges ReadUpdate(JsonElement body)
    {
        var errors = new List<InvalidParameter>();
        var fields = new JsonFields(body, s_updateFields, errors);
        var changes = new ControlPlaneChanges
        {
            Name = fields.String("name"),
            Description = fields.String("description"),
            AuthType = Enum<AuthType>(fields, "auth_type", WireNames.AuthTypes, WireNames.TryParseAuthType),
            ProxyUrls = ProxyUrls(fields),
            Labels = fields.StringMap("labels"),
        };
        ThrowIfAny(errors);
        return changes;
    }

    private delegate bool TryParse<T>(string wire, out T value);

    private static T? Enum<T>(JsonFields fields, string name, IReadOnlyList<string> choices, TryParse<T> parse)
        where T : struct
    {
        var wire = fields.String(name);
        if (wire is null)
        {
            return null;
        }
        if (parse(wire, out var value))
        {
            return value;
        }
        fields.Errors.Add(InvalidParameter.OneOf(name, choices));
        return null;
    }

    private static List<ProxyUrl>? ProxyUrls(JsonFields fields)
    {
        if (fields.Array("proxy_urls") is not { } array)
        {
            return null;
        }
        var urls = new List<ProxyUrl>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var prefix = $"proxy_urls[{index++}].";
            if (item.ValueKind != JsonValueKind.Object)
            {
                fields.Errors.Add(InvalidParameter.WrongType(prefix.TrimEnd('.'), "is_object", "an object"));
                continue;
            }
            var url = new JsonFields(item, s_proxyUrlFields, fields.Errors, prefix);
            var (host, port, protocol) = (url.String("host"), url.Integer("port"), url.String("protocol"));
            foreach (var missing in new[] { ("host", host is null), ("port", port is null), ("protocol", protocol is null) })
            {
                if (missing.Item2 && !url.Has(missing.Item1))
                {
                    fields.Errors.Add(InvalidParameter.Required(prefix + missing.Item1));
                }
            }
            urls.Add(new ProxyUrl(host ?? "", port ?? 0, protocol ?? ""));
        }
        return urls;
    }

    private static void ThrowIfAny(List<InvalidParameter> errors)
    {
        if (errors.Count > 0)
        {
            throw new RequestInvalidException("Request contains invalid parameters.", errors);
        }
    }
}
