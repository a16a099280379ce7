using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// The <c>llm</c> record the AI plugins share (kong/llm/schemas/init.lua at 3.9.3): the route
/// type (248-253), auth (55-120), the model and its options per provider (5-53, 123-216),
/// logging (220-235) and the entity checks (258-317): auth pairs set together, the options each
/// provider needs, and which providers log statistics. ai-proxy's config is this record with its
/// own fields added; the AI transformers nest it as <c>config.llm</c>. Its checks are the
/// record's, so their errors sit on the record (<c>config</c> or <c>config.llm</c>), as Kong nests them.
/// </summary>
public static class LlmRecords
{
    public static readonly string[] Providers = ["openai", "azure", "anthropic", "cohere", "mistral", "llama2", "gemini", "bedrock", "huggingface"];

    public static readonly string[] RouteTypes = ["llm/v1/chat", "llm/v1/completions", "preserve"];

    /// <summary>The fields, in Kong's order; ai-proxy appends its own after them.</summary>
    public static IReadOnlyList<Field> Fields { get; } =
    [
        Text("route_type", required: true).With(OneOf(RouteTypes)),
        Auth,
        Model,
        Record("logging", Bool("log_statistics", false), Bool("log_payloads", false)),
    ];

    public static IReadOnlyList<EntityCheck> Checks { get; } =
    [
        Conditional("model.provider", Is("bedrock", "gemini"), "auth.allow_override", MustBe(false),
            "bedrock and gemini only support auth.allow_override = false"),
        UnlessReferenced(MutuallyRequired("auth.header_name", "auth.header_value"), "auth.header_name", "auth.header_value"),
        UnlessReferenced(MutuallyRequired("auth.param_name", "auth.param_value", "auth.param_location"), "auth.param_name", "auth.param_value"),
        ConditionalAtLeastOneOf("model.provider", Is("llama2"), ["model.options.llama2_format"], "must set %s for llama2 provider"),
        ConditionalAtLeastOneOf("model.provider", Is("mistral"), ["model.options.mistral_format"], "must set %s for mistral provider"),
        ConditionalAtLeastOneOf("model.provider", Is("anthropic"), ["model.options.anthropic_version"], "must set %s for anthropic provider"),
        ConditionalAtLeastOneOf("model.provider", Is("azure"), ["model.options.azure_instance"], "must set %s for azure provider"),
        ConditionalAtLeastOneOf("model.provider", Is("azure"), ["model.options.azure_api_version"], "must set %s for azure provider"),
        ConditionalAtLeastOneOf("model.provider", Is("azure"), ["model.options.azure_deployment_id"], "must set %s for azure provider"),
        ConditionalAtLeastOneOf("model.provider", Is("llama2"), ["model.options.upstream_url"], "must set %s for self-hosted providers/models"),
        Custom(["route_type", "model", "logging"], StatisticsUnsupported),
    ];

    /// <summary>The record nested as <paramref name="name"/> (the transformers' <c>config.llm</c>), required as Kong makes records in plugin schemas.</summary>
    public static Field Nested(string name) => PluginFields.Record(name, [.. Fields]) with { RecordChecks = Checks };

    private static Field Optional(Field record) => record with { Optional = true };

    private static Field Secret(string name) => Text(name) with { Referenceable = true };

    /// <summary>auth_schema (55-120): every credential may be a vault reference.</summary>
    private static Field Auth => Optional(PluginFields.Record("auth",
        Secret("header_name"),
        Secret("header_value"),
        Secret("param_name"),
        Secret("param_value"),
        Text("param_location").With(OneOf("query", "body")),
        Bool("gcp_use_service_account", false, required: false),
        Secret("gcp_service_account_json"),
        Secret("aws_access_key_id"),
        Secret("aws_secret_access_key"),
        Bool("allow_override", false, required: false)));

    /// <summary>model_schema (201-216) and model_options_schema (123-197).</summary>
    private static Field Model => PluginFields.Record("model",
        Text("provider", required: true).With(OneOf(Providers)),
        Text("name"),
        Optional(PluginFields.Record("options",
            Integer("max_tokens"),
            Number("input_cost").With(GreaterThan(0)),
            Number("output_cost").With(GreaterThan(0)),
            Number("temperature").With(Between(0, 5)),
            Number("top_p").With(Between(0, 1)),
            Integer("top_k").With(Between(0, 500)),
            Text("anthropic_version"),
            Text("azure_instance"),
            Text("azure_api_version", "2023-05-15"),
            Text("azure_deployment_id"),
            Text("llama2_format").With(OneOf("raw", "openai", "ollama")),
            Text("mistral_format").With(OneOf("openai", "ollama")),
            Url("upstream_url"),
            Text("upstream_path"),
            Optional(PluginFields.Record("gemini", Text("api_endpoint"), Text("project_id"), Text("location_id"))) with
            {
                RecordChecks = [MutuallyRequired("api_endpoint", "project_id", "location_id")],
            },
            Optional(PluginFields.Record("bedrock", Text("aws_region"))),
            Optional(PluginFields.Record("huggingface", Typedefs.Boolean("use_cache", null), Typedefs.Boolean("wait_for_model", null))))));

    /// <summary>UNSUPPORTED_LOG_STATISTICS (239-241) and the custom_entity_check (302-316).</summary>
    private static readonly Dictionary<string, string[]> s_noStatistics = new(StringComparer.Ordinal)
    {
        ["llm/v1/completions"] = ["anthropic"],
    };

    private static string? StatisticsUnsupported(JsonObject llm)
    {
        var routeType = Text(llm["route_type"]);
        var provider = Text(Get(llm, "model.provider"));
        return IsTrue(Get(llm, "logging.log_statistics")) && routeType is not null && provider is not null
            && s_noStatistics.TryGetValue(routeType, out var providers) && providers.Contains(provider)
            ? $"{provider} does not support statistics when route_type is {routeType}"
            : null;
    }
}
