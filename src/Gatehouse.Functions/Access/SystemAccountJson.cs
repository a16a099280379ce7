using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.Core.Access;
using Gatehouse.Core.Validation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Access;

/// <summary>System accounts, their access tokens and assigned roles on the wire, as Konnect's identity v3 spec shapes them.</summary>
internal static partial class SystemAccountJson
{
    private static readonly HashSet<string> s_createAccountFields = ["name", "description", "konnect_managed"];
    private static readonly HashSet<string> s_updateAccountFields = ["name", "description"];
    private static readonly HashSet<string> s_createTokenFields = ["name", "expires_at"];
    private static readonly HashSet<string> s_updateTokenFields = ["name"];
    private static readonly HashSet<string> s_assignRoleFields = ["role_name", "entity_id", "entity_type_name", "entity_region"];

    public static object Write(SystemAccount account) => new Dictionary<string, object?>
    {
        ["id"] = account.Id,
        ["name"] = account.Name,
        ["description"] = account.Description,
        ["created_at"] = ApiJson.Timestamp(account.CreatedAt),
        ["updated_at"] = ApiJson.Timestamp(account.UpdatedAt),
        ["konnect_managed"] = account.KonnectManaged,
    };

    /// <summary>A token as listed and read: never its secret, nor its hash.</summary>
    public static Dictionary<string, object?> Write(AccessToken token)
    {
        var json = new Dictionary<string, object?>
        {
            ["id"] = token.Id,
            ["name"] = token.Name,
            ["created_at"] = ApiJson.Timestamp(token.CreatedAt),
            ["updated_at"] = ApiJson.Timestamp(token.UpdatedAt),
            ["expires_at"] = ApiJson.Timestamp(token.ExpiresAt),
        };
        if (token.LastUsedAt is { } lastUsed)
        {
            json["last_used_at"] = ApiJson.Timestamp(lastUsed);
        }
        return json;
    }

    /// <summary>A token as created: the one answer that carries the secret.</summary>
    public static object WriteCreated(AccessToken token, string secret)
    {
        var json = Write(token);
        json["token"] = secret;
        return json;
    }

    public static object Write(AssignedRole role) => new
    {
        id = role.Id,
        role_name = role.RoleName,
        entity_id = role.EntityId,
        entity_type_name = role.EntityTypeName,
        entity_region = role.EntityRegion,
    };

    public static (string Name, string Description, bool KonnectManaged) ReadCreateAccount(JsonElement body)
    {
        var errors = new List<InvalidParameter>();
        var fields = new JsonFields(body, s_createAccountFields, errors);
        var name = IdentityJson.Required(fields, "name");
        var description = IdentityJson.Required(fields, "description");
        var managed = fields.Boolean("konnect_managed");
        IdentityJson.ThrowIfAny(errors);
        return (name!, description!, managed ?? false);
    }

    public static (string? Name, string? Description) ReadUpdateAccount(JsonElement body)
    {
        var errors = new List<InvalidParameter>();
        var fields = new JsonFields(body, s_updateAccountFields, errors);
        var result = (fields.String("name"), fields.String("description"));
        IdentityJson.ThrowIfAny(errors);
        return result;
    }

    public static (string Name, DateTimeOffset ExpiresAt) ReadCreateToken(JsonElement body)
    {
        var errors = new List<InvalidParameter>();
        var fields = new JsonFields(body, s_createTokenFields, errors);
        var name = IdentityJson.Required(fields, "name");
        var expires = IdentityJson.Required(fields, "expires_at");
        DateTimeOffset expiresAt = default;
        if (expires is not null && (!Rfc3339().IsMatch(expires) || !DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.None, out expiresAt)))
        {
            errors.Add(new InvalidParameter("expires_at", "must be an RFC 3339 date-time", "is_date_time"));
        }
        IdentityJson.ThrowIfAny(errors);
        return (name!, expiresAt);
    }

    public static string ReadUpdateToken(JsonElement body)
    {
        var errors = new List<InvalidParameter>();
        var name = IdentityJson.Required(new JsonFields(body, s_updateTokenFields, errors), "name");
        IdentityJson.ThrowIfAny(errors);
        return name!;
    }

    public static (string? RoleName, string? EntityId, string? EntityTypeName, string? EntityRegion) ReadAssignRole(JsonElement body)
    {
        var errors = new List<InvalidParameter>();
        var fields = new JsonFields(body, s_assignRoleFields, errors);
        var result = (fields.String("role_name"), fields.String("entity_id"), fields.String("entity_type_name"), fields.String("entity_region"));
        IdentityJson.ThrowIfAny(errors);
        return result;
    }

    // The spec's date-time: RFC 3339, a full date and time with an offset; nothing looser.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
