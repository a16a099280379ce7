using System.Text.Json;
using Gatehouse.Core.Access;
using Gatehouse.Core.Validation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Access;

/// <summary>Teams on the wire, as Konnect's identity v3 spec shapes them.</summary>
internal static class TeamJson
{
    private static readonly HashSet<string> s_fields = ["name", "description", "labels"];

    // Gatehouse has no system teams: the organization admin is the admin token, not a team.
    public static object Write(Team team) => new Dictionary<string, object?>
    {
        ["id"] = team.Id,
        ["name"] = team.Name,
        ["description"] = team.Description,
        ["system_team"] = false,
        ["labels"] = team.Labels,
        ["created_at"] = ApiJson.Timestamp(team.CreatedAt),
        ["updated_at"] = ApiJson.Timestamp(team.UpdatedAt),
    };

    /// <summary>A CreateTeam (name required) or UpdateTeam body.</summary>
    public static (string? Name, string? Description, Dictionary<string, string>? Labels) Read(JsonElement body, bool create)
    {
        var errors = new List<InvalidParameter>();
        var fields = new JsonFields(body, s_fields, errors);
        var name = create ? IdentityJson.Required(fields, "name") : fields.String("name");
        var result = (name, fields.String("description"), fields.StringMap("labels"));
        IdentityJson.ThrowIfAny(errors);
        return result;
    }
}
