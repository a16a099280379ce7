using Gatehouse.Core.Validation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Access;

/// <summary>What reading every identity request body shares: required fields, and one error listing every broken rule.</summary>
internal static class IdentityJson
{
    /// <summary>The string field's value; null, and a <c>required</c> error, when it is missing.</summary>
    public static string? Required(JsonFields fields, string name)
    {
        var value = fields.String(name);
        if (value is null && !fields.Has(name))
        {
            fields.Errors.Add(InvalidParameter.Required(name));
        }
        return value;
    }

    public static void ThrowIfAny(List<InvalidParameter> errors)
    {
        if (errors.Count > 0)
        {
            throw new RequestInvalidException("Request contains invalid parameters.", errors);
        }
    }

    /// <summary>The <c>id</c> of an AddUserToTeam or AddSystemAccountToTeam body.</summary>
    public static Guid ReadMemberId(System.Text.Json.JsonElement body)
    {
        var errors = new List<InvalidParameter>();
        var id = Required(new JsonFields(body, s_memberFields, errors), "id");
        var parsed = Guid.Empty;
        if (id is not null && !Guid.TryParseExact(id, "D", out parsed))
        {
            errors.Add(new InvalidParameter("id", "must be a valid UUID", "is_uuid"));
        }
        ThrowIfAny(errors);
        return parsed;
    }

    private static readonly HashSet<string> s_memberFields = ["id"];
}
