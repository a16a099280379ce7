using Gatehouse.Core.Entities;

namespace Gatehouse.Functions.Entities;

/// <summary>The core-entities API's query options, refused in Kong's words when malformed.</summary>
internal static class QueryOptions
{
    /// <summary>A boolean option: true or false, <paramref name="whenAbsent"/> when not given (or given empty).</summary>
    public static bool Boolean(HttpContext context, string name, bool whenAbsent) => context.Request.Query[name].ToString() switch
    {
        "" => whenAbsent,
        "true" => true,
        "false" => false,
        _ => throw new EntityRejectedException(Rejection.Invalid, $"invalid option ({name}: expected a boolean)", [new FieldError(name, "expected a boolean")]),
    };
}
