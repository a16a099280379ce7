using Gatehouse.Core.Access;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Access;

/// <summary>
/// <c>/v3/system-accounts</c> with their access tokens and assigned roles, in Konnect's identity v3
/// shapes and problem+json errors. Managing who may do what is the organization admin's alone.
/// </summary>
internal static class SystemAccountEndpoints
{
    public static void MapSystemAccounts(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/v3/system-accounts")
            .WithErrorDialect(ErrorDialect.Problem)
            .RequiresAccess(AccessRequirement.OrganizationAdmin)
            .WithTags("System Accounts");

        accounts.MapGet("", ListAccountsAsync)
            .WithSummary("List system accounts: page[size], page[number], filter[name][eq|contains].")
            .Responds(200, "A page of system accounts with meta.page")
            .Responds(400, "Invalid query parameters");
        accounts.MapPost("", CreateAccountAsync)
            .WithSummary("Create a system account (name and description required, name unique). It may do nothing until a role is assigned to it.")
            .Responds(201, "Created")
            .Responds(400, "Invalid request")
            .Responds(409, "Name taken");
        accounts.MapGet("/{accountId}", GetAccountAsync)
            .WithSummary("Get a system account.")
            .Responds(200, "The system account")
            .Responds(404, "Not found");
        accounts.MapPatch("/{accountId}", UpdateAccountAsync)
            .WithSummary("Change a system account's name or description.")
            .Responds(200, "Updated")
            .Responds(400, "Invalid request")
            .Responds(404, "Not found")
            .Responds(409, "Name taken");
        accounts.MapDelete("/{accountId}", DeleteAccountAsync)
            .WithSummary("Delete a system account, its access tokens (refused from the next request on), its team memberships and its role assignments.")
            .Responds(204, "Deleted")
            .Responds(404, "Not found");

        var tokens = accounts.MapGroup("/{accountId}/access-tokens").WithTags("System Accounts - Access Tokens");
        tokens.MapGet("", ListTokensAsync)
            .WithSummary("List a system account's access tokens: page[size], page[number]. Never their secrets.")
            .Responds(200, "A page of access tokens with meta.page")
            .Responds(400, "Invalid query parameters")
            .Responds(404, "No such system account");
        tokens.MapPost("", CreateTokenAsync)
            .WithSummary("Create an access token (name and expires_at required). The token (spat_…) is in this answer and never again; only its SHA-256 is kept.")
            .Responds(201, "Created, with the token")
            .Responds(400, "Invalid request")
            .Responds(404, "No such system account")
            .Responds(409, "Name taken");
        tokens.MapGet("/{tokenId}", GetTokenAsync)
            .WithSummary("Get an access token (never its secret).")
            .Responds(200, "The access token")
            .Responds(404, "Not found");
        tokens.MapPatch("/{tokenId}", RenameTokenAsync)
            .WithSummary("Rename an access token.")
            .Responds(200, "Updated")
            .Responds(400, "Invalid request")
            .Responds(404, "Not found")
            .Responds(409, "Name taken");
        tokens.MapDelete("/{tokenId}", DeleteTokenAsync)
            .WithSummary("Delete (revoke) an access token: refused from the next request on by this instance, within seconds by the others.")
            .Responds(204, "Deleted")
            .Responds(404, "Not found");

        accounts.MapAssignedRoles("/{accountId}/assigned-roles", "System Accounts - Roles", "system account", async (context, ct) =>
        {
            var id = AssignedRoleEndpoints.RouteId(context, "accountId", "System account");
            await context.RequestServices.GetRequiredService<SystemAccountService>().GetAsync(id, ct);
            return IdentityRef.SystemAccount(id);
        });

        accounts.MapGet("/{accountId}/teams", ListTeamsAsync)
            .WithTags("System Accounts - Team Membership")
            .WithSummary("List the teams a system account belongs to: page[size], page[number], filter[name][eq|contains].")
            .Responds(200, "A page of teams with meta.page")
            .Responds(400, "Invalid query parameters")
            .Responds(404, "No such system account");

        accounts.MapUnmatched();
    }

    private static async Task<IResult> ListAccountsAsync(HttpContext context, SystemAccountService service, CancellationToken ct)
    {
        var page = IdentityPage.Parse(context.Request.Query, IdentityFilter.Text("name"));
        return Results.Json(page.Of(await service.ListAsync(ct), SystemAccountJson.Write, (a, _) => a.Name), ApiJson.Options);
    }

    private static async Task<IResult> CreateAccountAsync(HttpContext context, SystemAccountService service, CancellationToken ct)
    {
        var (name, description, managed) = SystemAccountJson.ReadCreateAccount(await RequestBody.ReadObjectAsync(context.Request, ct));
        return Results.Json(SystemAccountJson.Write(await service.CreateAsync(name, description, managed, ct)), ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAccountAsync(string accountId, SystemAccountService service, CancellationToken ct) =>
        Results.Json(SystemAccountJson.Write(await service.GetAsync(AccountId(accountId), ct)), ApiJson.Options);

    private static async Task<IResult> UpdateAccountAsync(string accountId, HttpContext context, SystemAccountService service, CancellationToken ct)
    {
        var id = AccountId(accountId);
        var (name, description) = SystemAccountJson.ReadUpdateAccount(await RequestBody.ReadObjectAsync(context.Request, ct));
        return Results.Json(SystemAccountJson.Write(await service.UpdateAsync(id, name, description, ct)), ApiJson.Options);
    }

    private static async Task<IResult> DeleteAccountAsync(string accountId, SystemAccountService service, CancellationToken ct)
    {
        await service.DeleteAsync(AccountId(accountId), ct);
        return Results.NoContent();
    }

    private static async Task<IResult> ListTokensAsync(string accountId, HttpContext context, SystemAccountService service, CancellationToken ct)
    {
        var page = IdentityPage.Parse(context.Request.Query);
        return Results.Json(page.Of(await service.ListTokensAsync(AccountId(accountId), ct), SystemAccountJson.Write), ApiJson.Options);
    }

    private static async Task<IResult> CreateTokenAsync(string accountId, HttpContext context, SystemAccountService service, CancellationToken ct)
    {
        var id = AccountId(accountId);
        var (name, expiresAt) = SystemAccountJson.ReadCreateToken(await RequestBody.ReadObjectAsync(context.Request, ct));
        var (token, secret) = await service.CreateTokenAsync(id, name, expiresAt, ct);
        return Results.Json(SystemAccountJson.WriteCreated(token, secret), ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetTokenAsync(string accountId, string tokenId, SystemAccountService service, CancellationToken ct) =>
        Results.Json(SystemAccountJson.Write(await service.GetTokenAsync(AccountId(accountId), Id(tokenId, "Access token"), ct)), ApiJson.Options);

    private static async Task<IResult> RenameTokenAsync(string accountId, string tokenId, HttpContext context, SystemAccountService service, CancellationToken ct)
    {
        var (account, token) = (AccountId(accountId), Id(tokenId, "Access token"));
        var name = SystemAccountJson.ReadUpdateToken(await RequestBody.ReadObjectAsync(context.Request, ct));
        return Results.Json(SystemAccountJson.Write(await service.RenameTokenAsync(account, token, name, ct)), ApiJson.Options);
    }

    private static async Task<IResult> DeleteTokenAsync(string accountId, string tokenId, SystemAccountService service, CancellationToken ct)
    {
        await service.DeleteTokenAsync(AccountId(accountId), Id(tokenId, "Access token"), ct);
        return Results.NoContent();
    }

    private static async Task<IResult> ListTeamsAsync(string accountId, HttpContext context, TeamService teams, CancellationToken ct)
    {
        var page = IdentityPage.Parse(context.Request.Query, IdentityFilter.Text("name"));
        var of = await teams.ListTeamsOfAsync(IdentityRef.SystemAccount(AccountId(accountId)), ct);
        return Results.Json(page.Of(of, TeamJson.Write, (t, _) => t.Name), ApiJson.Options);
    }

    private static Guid AccountId(string value) => PathIds.Parse(value, "System account");

    private static Guid Id(string value, string what) => PathIds.Parse(value, what);
}
