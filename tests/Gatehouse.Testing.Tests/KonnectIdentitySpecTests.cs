using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Testing.Tests;

/// <summary>
/// The Konnect identity v3 subset bites: the bodies it describes pass, near misses are named, and
/// the validator knows every keyword it uses (an unknown one would pass anything silently).
/// </summary>
public sealed class KonnectIdentitySpecTests
{
    private const string Account = "/v3/system-accounts/{accountId}";
    private const string Token = "/v3/system-accounts/{accountId}/access-tokens/{tokenId}";

    private static OpenApiDocument Spec => ReferenceSpecs.Identity;

    [Fact]
    public void Accounts_tokens_roles_and_problems_as_the_spec_describes_them_pass()
    {
        OpenApiAssert.ValidResponse(Spec, "GET", Account, 200, "application/json", Json.Parse("""
            {"id":"497f6eca-6276-4993-bfeb-53cbbbba6f08","name":"ci","description":"d","created_at":"2026-12-02T10:00:00Z","updated_at":"2026-12-02T10:00:00Z","konnect_managed":false}
            """));
        OpenApiAssert.ValidResponse(Spec, "POST", "/v3/system-accounts/{accountId}/access-tokens", 201, "application/json", Json.Parse("""
            {"id":"497f6eca-6276-4993-bfeb-53cbbbba6f08","name":"t","created_at":"2026-12-02T10:00:00Z","updated_at":"2026-12-02T10:00:00Z","expires_at":"2027-12-02T10:00:00Z","token":"spat_x"}
            """));
        OpenApiAssert.ValidResponse(Spec, "GET", "/v3/system-accounts/{accountId}/assigned-roles/{roleId}", 200, "application/json", Json.Parse("""
            {"id":"54cc6168-ebb1-4300-8168-d62a0dd08fc8","role_name":"Viewer","entity_id":"18ee2573-dec0-4b83-be99-fa7700bcdc61","entity_type_name":"Control Planes","entity_region":"us"}
            """));
        OpenApiAssert.ValidResponse(Spec, "GET", "/v3/system-accounts", 400, "application/problem+json", Json.Parse("""
            {"status":400,"title":"Bad Request","instance":"t","detail":"d","invalid_parameters":[{"field":"page[size]","rule":"min","minimum":1,"reason":"must be at least 1"}]}
            """));
        Assert.Empty(Spec.Schemas.UnknownKeywords);
    }

    [Fact]
    public void Near_misses_are_named()
    {
        var badId = Spec.ValidateResponse("GET", Account, 200, "application/json", Json.Parse("""{"id":"ci","name":"ci"}"""));
        Assert.Equal(["$.id"], Json.Paths(badId));
        var badTime = Spec.ValidateResponse("GET", Token, 200, "application/json", Json.Parse("""{"id":"497f6eca-6276-4993-bfeb-53cbbbba6f08","expires_at":"tomorrow"}"""));
        Assert.Equal(["$.expires_at"], Json.Paths(badTime));
        var noDetail = Spec.ValidateResponse("GET", Account, 404, "application/problem+json", Json.Parse("""{"status":404,"title":"Not Found","instance":"t"}"""));
        Assert.NotEmpty(noDetail);
        var emptyParameters = Spec.ValidateComponent("BadRequestError", Json.Parse("""{"status":400,"title":"x","instance":"t","detail":"d","invalid_parameters":[]}"""));
        Assert.NotEmpty(emptyParameters);
    }
}
