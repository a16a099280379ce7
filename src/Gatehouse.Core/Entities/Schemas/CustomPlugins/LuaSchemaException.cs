namespace Gatehouse.Core.Entities.Schemas.CustomPlugins;

/// <summary>
/// A Lua schema text outside the declarative subset Gatehouse reads, or not Lua at all: the
/// line it was found on and why. The parser and the converter throw nothing else.
/// </summary>
public sealed class LuaSchemaException(int line, string reason) : Exception($"line {line}: {reason}")
{
    public int Line { get; } = line;

    public string Reason { get; } = reason;
}
