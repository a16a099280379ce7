using Gatehouse.Core.Access;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Access;

/// <summary>
/// <c>/v3/teams</c> with their users, system accounts and assigned roles, in Konnect's identity v3
/// shapes and problem+json errors. Every member holds the team's roles; managing teams is the
/// organization admin's alone.
/// </summary>
internal static class TeamEndpoints
{
    public static void MapTeams(this IEndpointRouteBuilder app)
    {
        var teams = app.MapGroup("/v3/teams")
            .WithErrorDialect(ErrorDialect.Problem)
            .RequiresAccess(AccessRequirement.OrganizationAdmin)
            .WithTags("Teams");

        teams.MapGet("", ListTeamsAsync)
            .WithSummary("List teams: page[size], page[number], filter[name][eq|contains].")
            .Responds(200, "A page of teams with meta.page")
            .Responds(400, "Invalid query parameters");
        teams.MapPost("", CreateTeamAsync)
            .WithSummary("Create a team (name required; description, labels). Names need not be unique, as in Konnect.")
            .Responds(201, "Created")
            .Responds(400, "Invalid request");
        teams.MapGet("/{teamId}", GetTeamAsync)
            .WithSummary("Get a team.")
            .Responds(200, "The team")
            .Responds(404, "Not found");
        teams.MapPatch("/{teamId}", UpdateTeamAsync)
            .WithSummary("Change a team's name, description or labels (labels given replace the team's).")
            .Responds(200, "Updated")
            .Responds(400, "Invalid request")
            .Responds(404, "Not found");
        teams.MapDelete("/{teamId}", DeleteTeamAsync)
            .WithSummary("Delete a team: its members lose its roles from the next request on (on other instances within seconds).")
            .Responds(204, "Deleted")
            .Responds(404, "Not found");

        var users = teams.MapGroup("/{teamId}/users").WithTags("Team Membership");
        users.MapGet("", ListUsersAsync)
            .WithSummary("List a team's users: page[size], page[number], filter[id], filter[email][eq|contains], filter[full_name][eq|contains], filter[active].")
            .Responds(200, "A page of users with meta.page")
            .Responds(400, "Invalid query parameters")
            .Responds(404, "No such team");
        users.MapPost("", AddUserAsync)
            .WithSummary("Add a user ({\"id\": user id}) to a team.")
            .Responds(201, "Added")
            .Responds(400, "Invalid request")
            .Responds(404, "No such team or user")
            .Responds(409, "Already a member");
        users.MapDelete("/{userId}", RemoveUserAsync)
            .WithSummary("Remove a user from a team: it loses the team's roles from the next request on.")
            .Responds(204, "Removed")
            .Responds(404, "No such team or user, or not a member");

        var accounts = teams.MapGroup("/{teamId}/system-accounts").WithTags("System Accounts - Team Membership");
        accounts.MapGet("", ListSystemAccountsAsync)
            .WithSummary("List a team's system accounts: page[size], page[number], filter[name][eq|contains].")
            .Responds(200, "A page of system accounts with meta.page")
            .Responds(400, "Invalid query parameters")
            .Responds(404, "No such team");
        accounts.MapPost("", AddSystemAccountAsync)
            .WithSummary("Add a system account ({\"id\": account id}) to a team.")
            .Responds(201, "Added")
            .Responds(400, "Invalid request")
            .Responds(404, "No such team or system account")
            .Responds(409, "Already a member");
        accounts.MapDelete("/{accountId}", RemoveSystemAccountAsync)
            .WithSummary("Remove a system account from a team: it loses the team's roles from the next request on.")
            .Responds(204, "Removed")
            .Responds(404, "No such team or system account, or not a member");

        teams.MapAssignedRoles("/{teamId}/assigned-roles", "Roles", "team", async (context, ct) =>
        {
            var id = AssignedRoleEndpoints.RouteId(context, "teamId", "Team");
            await context.RequestServices.GetRequiredService<TeamService>().GetAsync(id, ct);
            return IdentityRef.Team(id);
        });

        teams.MapUnmatched();
    }

    private static async Task<IResult> ListTeamsAsync(HttpContext context, TeamService service, CancellationToken ct)
    {
        var page = IdentityPage.Parse(context.Request.Query, IdentityFilter.Text("name"));
        return Results.Json(page.Of(await service.ListAsync(ct), TeamJson.Write, (t, _) => t.Name), ApiJson.Options);
    }

    private static async Task<IResult> CreateTeamAsync(HttpContext context, TeamService service, CancellationToken ct)
    {
        var (name, description, labels) = TeamJson.Read(await RequestBody.ReadObjectAsync(context.Request, ct), create: true);
        return Results.Json(TeamJson.Write(await service.CreateAsync(name!, description, labels, ct)), ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetTeamAsync(string teamId, TeamService service, CancellationToken ct) =>
        Results.Json(TeamJson.Write(await service.GetAsync(TeamId(teamId), ct)), ApiJson.Options);

    private static async Task<IResult> UpdateTeamAsync(string teamId, HttpContext context, TeamService service, CancellationToken ct)
    {
        var id = TeamId(teamId);
        var (name, description, labels) = TeamJson.Read(await RequestBody.ReadObjectAsync(context.Request, ct), create: false);
        return Results.Json(TeamJson.Write(await service.UpdateAsync(id, name, description, labels, ct)), ApiJson.Options);
    }

    private static async Task<IResult> DeleteTeamAsync(string teamId, TeamService service, CancellationToken ct)
    {
        await service.DeleteAsync(TeamId(teamId), ct);
        return Results.NoContent();
    }

    private static async Task<IResult> ListUsersAsync(string teamId, HttpContext context, TeamService service, CancellationToken ct)
    {
        var page = IdentityPage.Parse(context.Request.Query, UserJson.Filters);
        return Results.Json(page.Of(await service.ListUsersAsync(TeamId(teamId), ct), UserJson.Write, UserJson.Field), ApiJson.Options);
    }

    private static async Task<IResult> AddUserAsync(string teamId, HttpContext context, TeamService service, CancellationToken ct)
    {
        var id = TeamId(teamId);
        var user = IdentityJson.ReadMemberId(await RequestBody.ReadObjectAsync(context.Request, ct));
        await service.AddMemberAsync(id, IdentityRef.User(user), ct);
        return Results.StatusCode(StatusCodes.Status201Created);
    }

    private static async Task<IResult> RemoveUserAsync(string teamId, string userId, TeamService service, CancellationToken ct)
    {
        await service.RemoveMemberAsync(TeamId(teamId), IdentityRef.User(PathIds.Parse(userId, "User")), ct);
        return Results.NoContent();
    }

    private static async Task<IResult> ListSystemAccountsAsync(string teamId, HttpContext context, TeamService service, CancellationToken ct)
    {
        var page = IdentityPage.Parse(context.Request.Query, IdentityFilter.Text("name"));
        return Results.Json(page.Of(await service.ListSystemAccountsAsync(TeamId(teamId), ct), SystemAccountJson.Write, (a, _) => a.Name), ApiJson.Options);
    }

    private static async Task<IResult> AddSystemAccountAsync(string teamId, HttpContext context, TeamService service, CancellationToken ct)
    {
        var id = TeamId(teamId);
        var account = IdentityJson.ReadMemberId(await RequestBody.ReadObjectAsync(context.Request, ct));
        await service.AddMemberAsync(id, IdentityRef.SystemAccount(account), ct);
        return Results.StatusCode(StatusCodes.Status201Created);
    }

    private static async Task<IResult> RemoveSystemAccountAsync(string teamId, string accountId, TeamService service, CancellationToken ct)
    {
        await service.RemoveMemberAsync(TeamId(teamId), IdentityRef.SystemAccount(PathIds.Parse(accountId, "System account")), ct);
        return Results.NoContent();
    }

    private static Guid TeamId(string value) => PathIds.Parse(value, "Team");
}
