namespace Gatehouse.Core.Entities.Schemas.CustomPlugins;

/// <summary>
/// A value of the declarative Lua subset, with the line it was written on: what a schema.lua's
/// table literal is made of once its locals are substituted. Nothing here can hold code.
/// </summary>
public abstract record LuaValue(int Line);

public sealed record LuaString(string Value, int Line) : LuaValue(Line);

public sealed record LuaNumber(double Value, int Line) : LuaValue(Line);

public sealed record LuaBoolean(bool Value, int Line) : LuaValue(Line);

public sealed record LuaNil(int Line) : LuaValue(Line);

/// <summary>The module <c>require "kong.db.schema.typedefs"</c> gives; only its members may be read.</summary>
public sealed record LuaTypedefsModule(int Line) : LuaValue(Line);

/// <summary>
/// <c>typedefs.name</c>, or <c>typedefs.name { ... }</c>: Kong's typedefs are callable and
/// return the typedef with the table's attributes laid over it (kong/db/schema/typedefs.lua).
/// </summary>
public sealed record LuaTypedef(string Name, LuaTable? Overrides, int Line) : LuaValue(Line);

/// <summary>A table constructor: its positional items and its named fields, both in written order.</summary>
public sealed record LuaTable(IReadOnlyList<LuaValue> Items, IReadOnlyList<KeyValuePair<string, LuaValue>> Fields, int Line) : LuaValue(Line)
{
    public LuaValue? this[string key] => Fields.FirstOrDefault(f => f.Key == key).Value;

    /// <summary>How many tables deep the value goes, this one included; locals can stack tables without nesting braces.</summary>
    public int Depth { get; init; } = 1;

    /// <summary>How many values it holds, counting a local used twice twice: what reading it all costs.</summary>
    public long Size { get; init; } = 1;
}
