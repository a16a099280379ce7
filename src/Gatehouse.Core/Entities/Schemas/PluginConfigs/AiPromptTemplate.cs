using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// ai-prompt-template (kong/plugins/ai-prompt-template/schema.lua:1-56 at 3.9.3): named templates
/// (4-19, 29-34) and what to do with requests that use none. Kong's schema does not check that
/// names are unique or that a template's <c>{{placeholders}}</c> parse; its handler does, per request.
/// </summary>
public static class AiPromptTemplate
{
    private static Field Template { get; } = Record("template", Text("name", required: true), Text("template", required: true));

    public static PluginSchema Schema { get; } = new("ai-prompt-template", Config(
        new Field("templates", FieldType.Array) { Required = true, Elements = Template },
        Bool("allow_untemplated_requests", true),
        Bool("log_original_request", false),
        AiPluginFields.MaxRequestBodySize))
    {
        Protocols = HttpOnly,
    };
}
