using System.Text.RegularExpressions;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// file-log (kong/plugins/file-log/schema.lua:4-21 at 3.9.3). <c>custom_fields_by_lua</c> is
/// typedefs.lua_code (typedefs.lua:900-905): Kong also compiles each value as a Lua expression,
/// which Gatehouse, running no Lua, does not.
/// </summary>
public static partial class FileLog
{
    public static PluginSchema Schema { get; } = new("file-log", Config(
        Text("path", required: true).With(Validators.Match(FileName(), _ => "not a valid filename")),
        Bool("reopen", false),
        LuaCode("custom_fields_by_lua")));

    /// <summary><c>^[^*&amp;%%\`]+$</c>: no '*', '&amp;', '%' or '`'.</summary>
    [GeneratedRegex(@"^[^*&%`]+\z")]
    private static partial Regex FileName();
}
