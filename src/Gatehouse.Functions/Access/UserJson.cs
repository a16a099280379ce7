using System.Text.Json;
using Gatehouse.Core.Access;
using Gatehouse.Core.Validation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Access;

/// <summary>Users and their personal access tokens on the wire, as Konnect shapes them.</summary>
internal static class UserJson
{
    private static readonly HashSet<string> s_createFields = ["email", "full_name", "preferred_name"];
    private static readonly HashSet<string> s_updateFields = ["full_name", "preferred_name"];
    private static readonly HashSet<string> s_createTokenFields = ["name", "ttl_seconds"];
    private static readonly HashSet<string> s_updateTokenFields = ["name"];

    // Gatehouse sends no verification mail: a user the organization admin created is active.
    public static object Write(User user) => new Dictionary<string, object?>
    {
        ["id"] = user.Id,
        ["email"] = user.Email,
        ["full_name"] = user.FullName,
        ["preferred_name"] = user.PreferredName,
        ["active"] = true,
        ["created_at"] = ApiJson.Timestamp(user.CreatedAt),
        ["updated_at"] = ApiJson.Timestamp(user.UpdatedAt),
    };

    /// <summary>A user's value of the fields its lists filter on (id, email, full_name, active).</summary>
    public static string Field(User user, string field) => field switch
    {
        "id" => user.Id.ToString(),
        "email" => user.Email,
        "full_name" => user.FullName,
        _ => "true",
    };

    public static readonly IdentityFilter[] Filters =
        [IdentityFilter.Exact("id"), IdentityFilter.Text("email"), IdentityFilter.Text("full_name"), IdentityFilter.Boolean("active")];

    /// <summary>A token as listed and read: never its secret, nor its hash.</summary>
    public static Dictionary<string, object?> Write(PersonalAccessToken token, DateTimeOffset now)
    {
        var json = new Dictionary<string, object?>
        {
            ["id"] = token.Id,
            ["user_id"] = token.UserId,
            ["name"] = token.Name,
            ["state"] = token.StateAt(now).ToString().ToUpperInvariant(),
            ["created_at"] = ApiJson.Timestamp(token.CreatedAt),
            ["updated_at"] = ApiJson.Timestamp(token.UpdatedAt),
            ["expires_at"] = ApiJson.Timestamp(token.ExpiresAt),
        };
        if (token.LastUsedAt is { } lastUsed)
        {
            json["last_used_at"] = ApiJson.Timestamp(lastUsed);
        }
        if (token.RevokedAt is { } revokedAt)
        {
            json["revoked_at"] = ApiJson.Timestamp(revokedAt);
        }
        if (token.RevokedBy is { } revokedBy)
        {
            json["revoked_by"] = revokedBy;
        }
        return json;
    }

    /// <summary>A token as created: the one answer that carries the secret, as Konnect names it.</summary>
    public static object WriteCreated(PersonalAccessToken token, string secret, DateTimeOffset now)
    {
        var json = Write(token, now);
        json["konnect_token"] = secret;
        return json;
    }

    public static (string Email, string FullName, string? PreferredName) ReadCreate(JsonElement body)
    {
        var errors = new List<InvalidParameter>();
        var fields = new JsonFields(body, s_createFields, errors);
        var email = IdentityJson.Required(fields, "email");
        var fullName = IdentityJson.Required(fields, "full_name");
        var preferred = fields.String("preferred_name");
        IdentityJson.ThrowIfAny(errors);
        return (email!, fullName!, preferred);
    }

    public static (string? FullName, string? PreferredName) ReadUpdate(JsonElement body)
    {
        var errors = new List<InvalidParameter>();
        var fields = new JsonFields(body, s_updateFields, errors);
        var result = (fields.String("full_name"), fields.String("preferred_name"));
        IdentityJson.ThrowIfAny(errors);
        return result;
    }

    public static (string Name, long TtlSeconds) ReadCreateToken(JsonElement body)
    {
        var errors = new List<InvalidParameter>();
        var fields = new JsonFields(body, s_createTokenFields, errors);
        var name = IdentityJson.Required(fields, "name");
        long ttl = 0;
        if (body.TryGetProperty("ttl_seconds", out var value) && value.ValueKind != JsonValueKind.Null)
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out ttl))
            {
                errors.Add(InvalidParameter.WrongType("ttl_seconds", "is_integer", "an integer"));
            }
        }
        else
        {
            errors.Add(InvalidParameter.Required("ttl_seconds"));
        }
        IdentityJson.ThrowIfAny(errors);
        return (name!, ttl);
    }

    public static string ReadUpdateToken(JsonElement body)
    {
        var errors = new List<InvalidParameter>();
        var name = IdentityJson.Required(new JsonFields(body, s_updateTokenFields, errors), "name");
        IdentityJson.ThrowIfAny(errors);
        return name!;
    }
}
