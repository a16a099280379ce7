using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// aws-lambda (kong/plugins/aws-lambda/schema.lua:3-150 at 3.9.3): the AWS key and secret go
/// together (131), skipped when either is a vault reference as Kong skips it (si:1311-1315),
/// and a proxy URL with a scheme must be http (132-148).
/// </summary>
public static partial class AwsLambda
{
    public static PluginSchema Schema { get; } = new("aws-lambda", Config(
        Number("timeout", 60000, required: true),
        Number("keepalive", 60000, required: true),
        Text("aws_key") with { Referenceable = true },
        Text("aws_secret") with { Referenceable = true },
        Text("aws_assume_role_arn") with { Referenceable = true },
        Text("aws_role_session_name", "kong"),
        Url("aws_sts_endpoint_url"),
        Typedefs.Host("aws_region"),
        Text("function_name"),
        Text("qualifier"),
        Text("invocation_type", "RequestResponse", required: true).With(OneOf("RequestResponse", "Event", "DryRun")),
        Text("log_type", "Tail", required: true).With(OneOf("Tail", "None")),
        Typedefs.Host("host"),
        Typedefs.Port("port", @default: 443),
        Bool("disable_https", false, required: false),
        Integer("unhandled_status").With(Between(100, 999)),
        Bool("forward_request_method", false, required: false),
        Bool("forward_request_uri", false, required: false),
        Bool("forward_request_headers", false, required: false),
        Bool("forward_request_body", false, required: false),
        Bool("is_proxy_integration", false, required: false),
        Bool("awsgateway_compatible", false, required: false),
        Url("proxy_url"),
        Bool("skip_large_bodies", true, required: false),
        Bool("base64_encode_body", true, required: false),
        Text("aws_imds_protocol_version", "v1", required: true).With(OneOf("v1", "v2")),
        Text("empty_arrays_mode", "legacy", required: true).With(OneOf("legacy", "correct"))))
    {
        Protocols = HttpOnly,
        Checks =
        [
            UnlessReferenced(MutuallyRequired("config.aws_key", "config.aws_secret"), "config.aws_key", "config.aws_secret"),
            Custom(["config.proxy_url"], ProxyUrlIsHttp),
        ],
    };

    /// <summary>The custom_entity_check (132-148): <c>^([^:]+)://</c> names a scheme, and only http is allowed.</summary>
    private static string? ProxyUrlIsHttp(JsonObject plugin) =>
        Text(Get(plugin, "config.proxy_url")) is { } url && Scheme().Match(url) is { Success: true } scheme && scheme.Groups[1].Value != "http"
            ? "proxy_url scheme must be http"
            : null;

    [GeneratedRegex("^([^:]+)://")]
    private static partial Regex Scheme();
}
