using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// file-log (kong/plugins/file-log/schema.lua:4-21 at 3.9.3). <c>custom_fields_by_lua</c> is
/// typedefs.lua_code (typedefs.lua:900-905): Kong also compiles each value as a Lua expression,
/// which Gatehouse, running no Lua, does not.
/// </summary>
public static class FileLog
{
    public static PluginSchema Schema { get; } = new("file-log", Config(
        // schema.lua:13, a Lua long string: no '*', '&', '%' or '`'.
        Text("path", required: true).With(Validators.LuaMatch("^[^*&%%`]+$", _ => "not a valid filename")),
        Bool("reopen", false),
        LuaCode("custom_fields_by_lua")));
}
