using Gatehouse.Core.Access;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Access;

/// <summary>
/// <c>/v3/users</c> with their teams and assigned roles, and <c>/v3/users/me</c>, in Konnect's
/// identity v3 shapes and problem+json errors. Gatehouse sends no invitations: the organization admin
/// creates users (email, full_name), who then use personal access tokens (<see cref="PersonalAccessTokenEndpoints"/>).
/// </summary>
internal static class UserEndpoints
{
    public static void MapUsers(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/v3/users")
            .WithErrorDialect(ErrorDialect.Problem)
            .RequiresAccess(AccessRequirement.OrganizationAdmin)
            .WithTags("Users");

        users.MapGet("", ListUsersAsync)
            .WithSummary("List users: page[size], page[number], filter[id], filter[email][eq|contains], filter[full_name][eq|contains], filter[active].")
            .Responds(200, "A page of users with meta.page")
            .Responds(400, "Invalid query parameters");
        users.MapPost("", CreateUserAsync)
            .WithSummary("Create a user (email and full_name required, preferred_name; the email unique whatever its letter case). No invitation is sent; the user is active and may do nothing until a role or team grants it.")
            .Responds(201, "Created")
            .Responds(400, "Invalid request")
            .Responds(409, "Email taken");
        users.MapGet("/me", MeAsync)
            .RequiresAccess(AccessRequirement.FilteredByEndpoint)
            .WithTags("Me")
            .WithSummary("The user whose personal access token (kpat_) the request carries. A system account or the admin token is no user: 403.")
            .Responds(200, "The calling user")
            .Responds(403, "The caller is not a user");
        users.MapGet("/{userId}", GetUserAsync)
            .WithSummary("Get a user.")
            .Responds(200, "The user")
            .Responds(404, "Not found");
        users.MapPatch("/{userId}", UpdateUserAsync)
            .WithSummary("Change a user's full_name or preferred_name.")
            .Responds(200, "Updated")
            .Responds(400, "Invalid request")
            .Responds(404, "Not found");
        users.MapDelete("/{userId}", DeleteUserAsync)
            .WithSummary("Delete a user, its personal access tokens (refused from the next request on), its team memberships and its role assignments.")
            .Responds(204, "Deleted")
            .Responds(404, "Not found");
        users.MapGet("/{userId}/teams", ListTeamsAsync)
            .WithTags("Team Membership")
            .WithSummary("List the teams a user belongs to: page[size], page[number], filter[name][eq|contains].")
            .Responds(200, "A page of teams with meta.page")
            .Responds(400, "Invalid query parameters")
            .Responds(404, "No such user");

        users.MapAssignedRoles("/{userId}/assigned-roles", "Roles", "user", async (context, ct) =>
        {
            var id = AssignedRoleEndpoints.RouteId(context, "userId", "User");
            await context.RequestServices.GetRequiredService<UserService>().GetAsync(id, ct);
            return IdentityRef.User(id);
        });
        users.MapPersonalAccessTokens();
        users.MapUnmatched();
    }

    private static async Task<IResult> ListUsersAsync(HttpContext context, UserService service, CancellationToken ct)
    {
        var page = IdentityPage.Parse(context.Request.Query, UserJson.Filters);
        return Results.Json(page.Of(await service.ListAsync(ct), UserJson.Write, UserJson.Field), ApiJson.Options);
    }

    private static async Task<IResult> CreateUserAsync(HttpContext context, UserService service, CancellationToken ct)
    {
        var (email, fullName, preferredName) = UserJson.ReadCreate(await RequestBody.ReadObjectAsync(context.Request, ct));
        return Results.Json(UserJson.Write(await service.CreateAsync(email, fullName, preferredName, ct)), ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>
    /// Konnect answers <c>/users/me</c> for a user's token. A system account's token or the admin
    /// token names no user: that is a 403 naming the caller, not a 404 that reads as a missing route.
    /// </summary>
    private static async Task<IResult> MeAsync(HttpContext context, UserService service, CancellationToken ct)
    {
        var principal = context.Principal();
        if (principal is { Type: PrincipalType.User, Id: { } userId })
        {
            return Results.Json(UserJson.Write(await service.GetAsync(userId, ct)), ApiJson.Options);
        }
        await ErrorDialect.Problem.WriteAsync(context, StatusCodes.Status403Forbidden,
            $"{principal.Description} is not a user: /v3/users/me answers for a personal access token (kpat_) only");
        return Results.Empty;
    }

    private static async Task<IResult> GetUserAsync(string userId, UserService service, CancellationToken ct) =>
        Results.Json(UserJson.Write(await service.GetAsync(UserId(userId), ct)), ApiJson.Options);

    private static async Task<IResult> UpdateUserAsync(string userId, HttpContext context, UserService service, CancellationToken ct)
    {
        var id = UserId(userId);
        var (fullName, preferredName) = UserJson.ReadUpdate(await RequestBody.ReadObjectAsync(context.Request, ct));
        return Results.Json(UserJson.Write(await service.UpdateAsync(id, fullName, preferredName, ct)), ApiJson.Options);
    }

    private static async Task<IResult> DeleteUserAsync(string userId, UserService service, CancellationToken ct)
    {
        await service.DeleteAsync(UserId(userId), ct);
        return Results.NoContent();
    }

    private static async Task<IResult> ListTeamsAsync(string userId, HttpContext context, TeamService teams, CancellationToken ct)
    {
        var page = IdentityPage.Parse(context.Request.Query, IdentityFilter.Text("name"));
        var of = await teams.ListTeamsOfAsync(IdentityRef.User(UserId(userId)), ct);
        return Results.Json(page.Of(of, TeamJson.Write, (t, _) => t.Name), ApiJson.Options);
    }

    internal static Guid UserId(string value) => PathIds.Parse(value, "User");
}
