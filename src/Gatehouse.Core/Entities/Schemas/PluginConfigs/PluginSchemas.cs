using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// The plugin config schemas Gatehouse knows, by plugin name, and the one place that decides
/// what happens to a name without one.
/// </summary>
public static class PluginSchemas
{
    /// <summary>Kong 3.9's bundled plugins, in kong/constants.lua's order (kong/constants.lua:1-47 at 3.9.3).</summary>
    public static IReadOnlyList<string> Bundled { get; } =
    [
        "jwt", "acl", "correlation-id", "cors", "oauth2", "tcp-log", "udp-log", "file-log", "http-log", "key-auth",
        "hmac-auth", "basic-auth", "ip-restriction", "request-transformer", "response-transformer", "request-size-limiting",
        "rate-limiting", "response-ratelimiting", "syslog", "loggly", "datadog", "ldap-auth", "statsd", "bot-detection",
        "aws-lambda", "request-termination", "prometheus", "proxy-cache", "session", "acme", "grpc-gateway", "grpc-web",
        "pre-function", "post-function", "azure-functions", "zipkin", "opentelemetry", "ai-proxy", "ai-prompt-decorator",
        "ai-prompt-template", "ai-prompt-guard", "ai-request-transformer", "ai-response-transformer", "standard-webhooks",
        "redirect",
    ];

    public static IReadOnlyList<PluginSchema> All { get; } =
    [
        RateLimiting.Schema,
        KeyAuth.Schema,
        BasicAuth.Schema,
        Acl.Schema,
        Cors.Schema,
        Jwt.Schema,
        HmacAuth.Schema,
        RequestTransformer.Schema,
        ResponseTransformer.Schema,
        IpRestriction.Schema,
        RequestSizeLimiting.Schema,
        CorrelationId.Schema,
        BotDetection.Schema,
        FileLog.Schema,
        TcpLog.Schema,
        UdpLog.Schema,
        HttpLog.Schema,
        Syslog.Schema,
        Loggly.Schema,
        Datadog.Schema,
        Statsd.Schema,
        OpenTelemetry.Schema,
        Zipkin.Schema,
        Prometheus.Schema,
        AiProxy.Schema,
        AiPromptDecorator.Schema,
        AiPromptTemplate.Schema,
        AiPromptGuard.Schema,
        AiRequestTransformer.Schema,
        AiResponseTransformer.Schema,
        OAuth2.Schema,
        ResponseRateLimiting.Schema,
        LdapAuth.Schema,
        AwsLambda.Schema,
        RequestTermination.Schema,
        ProxyCache.Schema,
        Session.Schema,
        Acme.Schema,
        GrpcGateway.Schema,
        GrpcWeb.Schema,
        PreFunction.Schema,
        PostFunction.Schema,
        AzureFunctions.Schema,
        Redirect.Schema,
        StandardWebhooks.Schema,
    ];

    private static readonly Dictionary<string, PluginSchema> s_byName = All.ToDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>
    /// The bundled schema of that name, else the one <paramref name="custom"/> finds: a control
    /// plane's custom plugin schemas (<see cref="CustomPlugins.CustomPluginSchemas"/>), which can never take a bundled name.
    /// </summary>
    public static PluginSchema? Find(string name, Func<string, PluginSchema?>? custom = null) => s_byName.GetValueOrDefault(name) ?? custom?.Invoke(name);

    public static bool IsBundled(string name) => s_byName.ContainsKey(name);

    /// <summary>
    /// Kong's refusal of a plugin it has no schema for, in Kong's words (kong/db/schema/plugin_loader.lua
    /// and kong/db/schema/others/declarative_config.lua word it the same); null for a name it knows,
    /// bundled or one of the control plane's custom schemas (<paramref name="custom"/>). The one
    /// place that decides which names a control plane takes.
    /// </summary>
    public static string? Refusal(string name, Func<string, PluginSchema?>? custom = null) =>
        Find(name, custom) is null ? $"plugin '{name}' not enabled; add it to the 'plugins' configuration property" : null;

    private static readonly ConcurrentDictionary<string, EntitySchema> s_entitySchemas = new(StringComparer.Ordinal);

    /// <summary>
    /// The plugins entity specialized for one plugin, as Kong's subschema by <c>name</c> does
    /// (kong/db/schema/entities/plugins.lua, si:2138-2153): its config, protocols, refused
    /// foreign keys and entity checks. Null for a name without a schema.
    /// </summary>
    public static EntitySchema? EntitySchemaFor(EntitySchema plugins, string name, Func<string, PluginSchema?>? custom = null)
    {
        if (s_byName.TryGetValue(name, out var bundled))
        {
            return s_entitySchemas.GetOrAdd(name, _ => Specialize(plugins, bundled));
        }
        // A custom schema differs per control plane: specialized once per parsed schema, not per name.
        return custom?.Invoke(name) is { } uploaded ? s_customEntitySchemas.GetValue(uploaded, p => Specialize(plugins, p)) : null;
    }

    private static readonly ConditionalWeakTable<PluginSchema, EntitySchema> s_customEntitySchemas = [];

    private static EntitySchema Specialize(EntitySchema plugins, PluginSchema plugin) => plugins with
    {
        Variant = null,
        Fields = [.. plugins.Fields.Select(field => field.Name switch
        {
            "config" => plugin.Config,
            "protocols" => plugin.Protocols,
            "consumer" when plugin.NoConsumer => field with { MustBeNull = true },
            "route" when plugin.NoRoute => field with { MustBeNull = true },
            "service" when plugin.NoService => field with { MustBeNull = true },
            _ => field,
        })],
        Checks = [.. plugins.Checks, .. plugin.Checks],
    };
}
