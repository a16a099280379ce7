using Gatehouse.Core.Access;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Access;

/// <summary>
/// <c>/v3/users/{userId}/access-tokens</c>: a user's personal access tokens (<c>kpat_…</c>), in
/// Konnect's shapes. The organization admin manages anyone's; a user manages its own with one of its
/// tokens, as in Konnect; nobody else may touch them.
/// </summary>
internal static class PersonalAccessTokenEndpoints
{
    public static void MapPersonalAccessTokens(this RouteGroupBuilder users)
    {
        var tokens = users.MapGroup("/{userId}/access-tokens")
            .RequiresAccess(AccessRequirement.FilteredByEndpoint)
            .WithTags("Personal Access Tokens");

        tokens.MapGet("", ListAsync)
            .WithSummary("List a user's personal access tokens, revoked and expired ones too (state ACTIVE|REVOKED|EXPIRED): page[size], page[number], filter[name][eq|contains]. Never their secrets.")
            .Responds(200, "A page of personal access tokens with meta.page")
            .Responds(400, "Invalid query parameters")
            .Responds(403, "Neither the user nor the organization admin")
            .Responds(404, "No such user");
        tokens.MapPost("", CreateAsync)
            .WithSummary("Create a personal access token ({name, ttl_seconds}: at most twelve months; at most 10 active tokens a user). The token (kpat_…) is konnect_token in this answer and never again; only its SHA-256 is kept.")
            .Responds(201, "Created, with the token")
            .Responds(400, "Invalid request, or 10 active tokens already")
            .Responds(403, "Neither the user nor the organization admin")
            .Responds(404, "No such user");
        tokens.MapGet("/{tokenId}", GetAsync)
            .WithSummary("Get a personal access token (never its secret).")
            .Responds(200, "The personal access token")
            .Responds(403, "Neither the user nor the organization admin")
            .Responds(404, "Not found");
        tokens.MapPatch("/{tokenId}", RenameAsync)
            .WithSummary("Rename a personal access token.")
            .Responds(200, "Updated")
            .Responds(400, "Invalid request")
            .Responds(403, "Neither the user nor the organization admin")
            .Responds(404, "Not found");
        tokens.MapPatch("/{tokenId}/revoke", RevokeAsync)
            .WithSummary("Revoke a personal access token: state REVOKED, refused from the next request on by this instance, within seconds by the others. The token stays listed.")
            .Responds(200, "Revoked")
            .Responds(403, "Neither the user nor the organization admin")
            .Responds(404, "Not found");
        tokens.MapDelete("/{tokenId}", DeleteAsync)
            .WithSummary("Delete a personal access token (revoking it if it was not).")
            .Responds(204, "Deleted")
            .Responds(403, "Neither the user nor the organization admin")
            .Responds(404, "Not found");
    }

    private static async Task<IResult> ListAsync(string userId, HttpContext context, UserService service, TimeProvider clock, CancellationToken ct)
    {
        if (await ManagedUserAsync(context, userId) is not { } user)
        {
            return Results.Empty;
        }
        var page = IdentityPage.Parse(context.Request.Query, IdentityFilter.Text("name"));
        var now = clock.GetUtcNow();
        return Results.Json(page.Of(await service.ListTokensAsync(user, ct), t => UserJson.Write(t, now), (t, _) => t.Name), ApiJson.Options);
    }

    private static async Task<IResult> CreateAsync(string userId, HttpContext context, UserService service, TimeProvider clock, CancellationToken ct)
    {
        if (await ManagedUserAsync(context, userId) is not { } user)
        {
            return Results.Empty;
        }
        var (name, ttl) = UserJson.ReadCreateToken(await RequestBody.ReadObjectAsync(context.Request, ct));
        var (token, secret) = await service.CreateTokenAsync(user, name, ttl, ct);
        return Results.Json(UserJson.WriteCreated(token, secret, clock.GetUtcNow()), ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAsync(string userId, string tokenId, HttpContext context, UserService service, TimeProvider clock, CancellationToken ct) =>
        await ManagedUserAsync(context, userId) is { } user
            ? Results.Json(UserJson.Write(await service.GetTokenAsync(user, TokenId(tokenId), ct), clock.GetUtcNow()), ApiJson.Options)
            : Results.Empty;

    private static async Task<IResult> RenameAsync(string userId, string tokenId, HttpContext context, UserService service, TimeProvider clock, CancellationToken ct)
    {
        if (await ManagedUserAsync(context, userId) is not { } user)
        {
            return Results.Empty;
        }
        var id = TokenId(tokenId);
        var name = UserJson.ReadUpdateToken(await RequestBody.ReadObjectAsync(context.Request, ct));
        return Results.Json(UserJson.Write(await service.RenameTokenAsync(user, id, name, ct), clock.GetUtcNow()), ApiJson.Options);
    }

    private static async Task<IResult> RevokeAsync(string userId, string tokenId, HttpContext context, UserService service, TimeProvider clock, CancellationToken ct)
    {
        if (await ManagedUserAsync(context, userId) is not { } user)
        {
            return Results.Empty;
        }
        // Konnect's revoked_by names a user; the admin token is none.
        var by = context.Principal() is { Type: PrincipalType.User, Id: { } caller } ? caller : (Guid?)null;
        return Results.Json(UserJson.Write(await service.RevokeTokenAsync(user, TokenId(tokenId), by, ct), clock.GetUtcNow()), ApiJson.Options);
    }

    private static async Task<IResult> DeleteAsync(string userId, string tokenId, HttpContext context, UserService service, CancellationToken ct)
    {
        if (await ManagedUserAsync(context, userId) is not { } user)
        {
            return Results.Empty;
        }
        await service.DeleteTokenAsync(user, TokenId(tokenId), ct);
        return Results.NoContent();
    }

    /// <summary>The user's id when the caller may manage its tokens; otherwise null, with the 403 written.</summary>
    private static async Task<Guid?> ManagedUserAsync(HttpContext context, string userId)
    {
        var principal = context.Principal();
        if (principal.IsOrganizationAdmin)
        {
            return UserEndpoints.UserId(userId);
        }
        if (principal.Type == PrincipalType.User && Guid.TryParseExact(userId, "D", out var id) && id == principal.Id)
        {
            return id;
        }
        await ErrorDialect.Problem.WriteAsync(context, StatusCodes.Status403Forbidden,
            $"{principal.Description} lacks organization admin (a user's personal access tokens are the user's and the organization admin's to manage)");
        return null;
    }

    private static Guid TokenId(string value) => PathIds.Parse(value, "Personal access token");
}
