using Gatehouse.Functions.Access.EntraId;

namespace Gatehouse.Functions.Tests.Access;

/// <summary>The console's Entra ID sign-in settings: read at start, refused with the setting named, defaults derived from the API's.</summary>
public sealed class ConsoleEntraSignInTests
{
    private const string Tenant = "7f0e3a8b-4d1c-4a57-9e2a-3c5d6b7a8f90";
    private const string ApiClientId = "2b7c1e40-5a6d-4f3e-8c9b-0a1d2e3f4a5b";
    private const string ConsoleClientId = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";

    [Fact]
    public void Without_a_console_client_id_the_console_offers_only_a_pasted_token()
    {
        Assert.Null(Read(new() { ["TenantId"] = Tenant, ["Audience"] = ApiClientId }));
        Assert.Null(Read([]));
    }

    [Fact]
    public void The_endpoints_are_the_tenants_v2_ones_and_the_scope_is_the_apis_access_as_user()
    {
        var byClientId = Read(new() { ["TenantId"] = Tenant, ["Audience"] = ApiClientId, ["ConsoleClientId"] = ConsoleClientId.ToUpperInvariant() })!;

        Assert.Equal(ConsoleClientId, byClientId.ClientId);
        Assert.Equal($"https://login.microsoftonline.com/{Tenant}/oauth2/v2.0/authorize", byClientId.AuthorizationEndpoint.ToString());
        Assert.Equal($"https://login.microsoftonline.com/{Tenant}/oauth2/v2.0/token", byClientId.TokenEndpoint.ToString());
        Assert.Equal($"api://{ApiClientId}/access_as_user", byClientId.Scope);

        // An application ID URI audience names its scopes itself; a scope setting wins over either.
        Assert.Equal("api://gatehouse/access_as_user", Read(new() { ["TenantId"] = Tenant, ["Audience"] = "api://gatehouse/", ["ConsoleClientId"] = ConsoleClientId })!.Scope);
        var chosen = Read(new() { ["TenantId"] = Tenant, ["Audience"] = ApiClientId, ["ConsoleClientId"] = ConsoleClientId, ["ConsoleScope"] = "api://gh/Console.Use", ["Instance"] = "https://login.microsoftonline.us" })!;
        Assert.Equal("api://gh/Console.Use", chosen.Scope);
        Assert.Equal($"https://login.microsoftonline.us/{Tenant}/oauth2/v2.0/authorize", chosen.AuthorizationEndpoint.ToString());
    }

    [Theory]
    [InlineData(null, "Gatehouse__EntraId__ConsoleClientId is set but sign-in with Entra ID is off")]
    [InlineData(Tenant, "Gatehouse__EntraId__ConsoleClientId must be the client id")]
    public void A_bad_setting_stops_the_app_naming_it(string? tenant, string message)
    {
        var settings = new Dictionary<string, string?> { ["ConsoleClientId"] = tenant is null ? ConsoleClientId : "spa-app" };
        if (tenant is not null)
        {
            settings["TenantId"] = tenant;
            settings["Audience"] = ApiClientId;
        }

        var error = Assert.Throws<InvalidOperationException>(() => Read(settings));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    private static ConsoleEntraSignIn? Read(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create($"Gatehouse:EntraId:{s.Key}", s.Value)))
            .Build();
        return ConsoleEntraSignIn.Read(configuration, EntraIdConfiguration.Read(configuration));
    }
}
