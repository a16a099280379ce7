using System.Text.Json;
using Gatehouse.Core.Access;
using Gatehouse.Core.Validation;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Access;

/// <summary>
/// Konnect's team-group mappings (<c>/v3/identity-provider/team-group-mappings</c>): which identity
/// provider groups make their members hold a team's roles. With Entra ID the groups are the object
/// ids the tokens' <c>groups</c> claim carries. The organization admin's alone.
/// </summary>
internal static class TeamGroupMappingEndpoints
{
    public const string Path = "/v3/identity-provider/team-group-mappings";

    public static void MapTeamGroupMappings(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path)
            .WithErrorDialect(ErrorDialect.Problem)
            .RequiresAccess(AccessRequirement.OrganizationAdmin)
            .WithTags("Identity Provider");
        group.MapGet("", ListAsync)
            .WithSummary("List the teams that have identity provider groups, each with its groups: page[size], page[number].")
            .Responds(200, "A page of {team_id, groups} with meta.page")
            .Responds(400, "Invalid query parameters");
        group.MapPatch("", ReplaceAsync)
            .WithSummary("Set the groups of each team listed ({\"data\": [{\"team_id\", \"groups\": [...]}]}); an empty list removes a team's groups. Teams not listed keep theirs.")
            .Responds(200, "Every mapping, as the list answers its first page")
            .Responds(400, "Invalid request")
            .Responds(404, "No such team");
    }

    private static async Task<IResult> ListAsync(HttpContext context, ISignInStore store, CancellationToken ct)
    {
        var page = IdentityPage.Parse(context.Request.Query);
        return Results.Json(page.Of(await store.ListTeamGroupMappingsAsync(ct), Write), ApiJson.Options);
    }

    private static async Task<IResult> ReplaceAsync(HttpContext context, SignInService signIns, ISignInStore store, CancellationToken ct)
    {
        var body = await RequestBody.ReadObjectAsync(context.Request, ct);
        await signIns.ReplaceMappingsAsync(Read(body), ct);
        var all = await store.ListTeamGroupMappingsAsync(ct);
        return Results.Json(new IdentityPage(1, IdentityPage.MaxSize, []).Of(all, Write), ApiJson.Options);
    }

    private static object Write(TeamGroupMapping mapping) => new { team_id = mapping.TeamId, groups = mapping.Groups };

    /// <summary>A TeamGroupMappingsUpdateRequest: <c>{data: [{team_id, groups}]}</c>, each error named by its place.</summary>
    private static List<TeamGroupMapping> Read(JsonElement body)
    {
        var errors = new List<InvalidParameter>();
        var mappings = new List<TeamGroupMapping>();
        foreach (var property in body.EnumerateObject().Where(p => p.Name != "data"))
        {
            errors.Add(new InvalidParameter(property.Name, $"unknown property {property.Name}", "unknown_property"));
        }
        if (!body.TryGetProperty("data", out var data))
        {
            errors.Add(InvalidParameter.Required("data"));
        }
        else if (data.ValueKind != JsonValueKind.Array)
        {
            errors.Add(InvalidParameter.WrongType("data", "is_array", "an array"));
        }
        else
        {
            var i = 0;
            foreach (var item in data.EnumerateArray())
            {
                if (Read(item, $"data[{i++}]", errors) is { } mapping)
                {
                    mappings.Add(mapping);
                }
            }
        }
        IdentityJson.ThrowIfAny(errors);
        return mappings;
    }

    private static TeamGroupMapping? Read(JsonElement item, string at, List<InvalidParameter> errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(InvalidParameter.WrongType(at, "is_object", "an object"));
            return null;
        }
        var teamId = Guid.Empty;
        if (!item.TryGetProperty("team_id", out var team))
        {
            errors.Add(InvalidParameter.Required($"{at}.team_id"));
        }
        else if (team.ValueKind != JsonValueKind.String || !Guid.TryParseExact(team.GetString(), "D", out teamId))
        {
            errors.Add(new InvalidParameter($"{at}.team_id", "must be a valid UUID", "is_uuid"));
        }
        var groups = new List<string>();
        if (!item.TryGetProperty("groups", out var list))
        {
            errors.Add(InvalidParameter.Required($"{at}.groups"));
        }
        else if (list.ValueKind != JsonValueKind.Array || list.EnumerateArray().Any(g => g.ValueKind != JsonValueKind.String))
        {
            errors.Add(InvalidParameter.WrongType($"{at}.groups", "is_array", "an array of strings"));
        }
        else
        {
            groups.AddRange(list.EnumerateArray().Select(g => g.GetString()!));
        }
        foreach (var property in item.EnumerateObject().Where(p => p.Name is not "team_id" and not "groups"))
        {
            errors.Add(new InvalidParameter($"{at}.{property.Name}", $"unknown property {property.Name}", "unknown_property"));
        }
        return teamId == Guid.Empty ? null : new TeamGroupMapping(teamId, groups);
    }
}
