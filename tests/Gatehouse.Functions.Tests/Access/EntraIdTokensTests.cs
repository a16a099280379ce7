using Gatehouse.Functions.Access.EntraId;
using Gatehouse.Testing.Identity;

namespace Gatehouse.Functions.Tests.Access;

/// <summary>Entra ID access tokens checked against a stand-in tenant over real HTTP, with real RS256 signatures.</summary>
public sealed class EntraIdTokensTests : IAsyncLifetime
{
    private const string Audience = "api://gatehouse-tests";

    private readonly EntraIdStandIn _tenant = new();
    private readonly HttpClient _http = new();
    private EntraIdTokens _tokens = null!;

    public async ValueTask InitializeAsync()
    {
        await _tenant.StartAsync(TestContext.Current.CancellationToken);
        _tokens = new EntraIdTokens(Configured(_tenant.TenantId.ToString(), Audience, _tenant.Instance.ToString())!, _http, TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _tenant.DisposeAsync();
    }

    [Fact]
    public async Task A_token_the_tenant_issued_for_the_audience_names_the_person_and_their_groups()
    {
        var person = Guid.NewGuid();
        var group = Guid.NewGuid();

        var check = await _tokens.CheckAsync(_tenant.Mint(Audience, person, "alice@contoso.example", [group]), TestContext.Current.CancellationToken);

        Assert.Null(check.RefusedBecause);
        Assert.Equal(person, check.Identity!.ObjectId);
        Assert.Equal("alice@contoso.example", check.Identity.Email);
        Assert.Equal("alice", check.Identity.Name);
        Assert.Equal([group], check.Identity.Groups);
        Assert.False(check.Identity.GroupsOverflowed);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var issued = DateTimeOffset.UtcNow.AddHours(-2);
        var check = await _tokens.CheckAsync(_tenant.Mint(Audience, Guid.NewGuid(), issuedAt: issued, expires: issued.AddHours(1)), TestContext.Current.CancellationToken);

        Assert.Null(check.Identity);
        Assert.Equal("the token is expired or not yet valid", check.RefusedBecause);
    }

    [Fact]
    public async Task A_token_that_expired_within_the_clock_skew_still_holds_and_one_just_past_it_does_not()
    {
        var now = DateTimeOffset.UtcNow;
        var within = await _tokens.CheckAsync(_tenant.Mint(Audience, Guid.NewGuid(), issuedAt: now.AddHours(-1), expires: now.AddSeconds(-20)), TestContext.Current.CancellationToken);
        var past = await _tokens.CheckAsync(_tenant.Mint(Audience, Guid.NewGuid(), issuedAt: now.AddHours(-1), expires: now - EntraIdTokens.ClockSkew - TimeSpan.FromSeconds(5)), TestContext.Current.CancellationToken);

        Assert.NotNull(within.Identity);
        Assert.Null(past.Identity);
    }

    [Fact]
    public async Task A_token_not_yet_valid_is_refused()
    {
        var check = await _tokens.CheckAsync(_tenant.Mint(Audience, Guid.NewGuid(), issuedAt: DateTimeOffset.UtcNow.AddMinutes(10)), TestContext.Current.CancellationToken);

        Assert.Equal("the token is expired or not yet valid", check.RefusedBecause);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        var check = await _tokens.CheckAsync(_tenant.Mint("api://someone-else", Guid.NewGuid()), TestContext.Current.CancellationToken);

        Assert.Equal("the token is for another audience", check.RefusedBecause);
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_refused()
    {
        var check = await _tokens.CheckAsync(_tenant.Mint(Audience, Guid.NewGuid(), issuer: $"https://login.microsoftonline.com/{Guid.NewGuid():D}/v2.0"), TestContext.Current.CancellationToken);

        Assert.Equal("the token is from another issuer", check.RefusedBecause);
    }

    [Fact]
    public async Task A_token_naming_another_tenant_is_refused_even_with_this_tenants_issuer()
    {
        var check = await _tokens.CheckAsync(_tenant.Mint(Audience, Guid.NewGuid(), tenantId: Guid.NewGuid()), TestContext.Current.CancellationToken);

        Assert.Equal("the token's tid is not the configured tenant", check.RefusedBecause);
    }

    [Fact]
    public async Task A_token_signed_with_a_key_the_tenant_does_not_publish_is_refused()
    {
        var check = await _tokens.CheckAsync(_tenant.Mint(Audience, Guid.NewGuid(), key: EntraIdStandIn.UnpublishedKey()), TestContext.Current.CancellationToken);

        Assert.Null(check.Identity);
        Assert.Equal("the token is signed with a key the tenant does not publish", check.RefusedBecause);
    }

    [Fact]
    public async Task A_token_whose_payload_was_changed_after_signing_is_refused()
    {
        var token = _tenant.Mint(Audience, Guid.NewGuid()).Split('.');
        var payload = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(token[1]).Replace("\"ver\":\"2.0\"", "\"ver\":\"2.1\"", StringComparison.Ordinal);
        var forged = $"{token[0]}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload)}.{token[2]}";

        var check = await _tokens.CheckAsync(forged, TestContext.Current.CancellationToken);

        Assert.Null(check.Identity);
        Assert.Equal("the token's signature does not verify", check.RefusedBecause);
    }

    [Fact]
    public async Task An_unsigned_token_is_refused()
    {
        var token = _tenant.Mint(Audience, Guid.NewGuid()).Split('.');
        var none = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");

        var check = await _tokens.CheckAsync($"{none}.{token[1]}.", TestContext.Current.CancellationToken);

        Assert.Null(check.Identity);
    }

    [Fact]
    public async Task After_the_tenant_rolls_its_key_tokens_signed_with_the_new_one_are_accepted()
    {
        Assert.NotNull((await _tokens.CheckAsync(_tenant.Mint(Audience, Guid.NewGuid()), TestContext.Current.CancellationToken)).Identity);
        _tenant.RollKey();

        var check = await _tokens.CheckAsync(_tenant.Mint(Audience, Guid.NewGuid()), TestContext.Current.CancellationToken);

        Assert.Null(check.RefusedBecause);
        Assert.Equal(2, _tenant.MetadataReads);
    }

    [Fact]
    public async Task Tokens_naming_made_up_keys_make_the_metadata_be_read_again_at_most_once_a_minute()
    {
        Assert.NotNull((await _tokens.CheckAsync(_tenant.Mint(Audience, Guid.NewGuid()), TestContext.Current.CancellationToken)).Identity);

        for (var i = 0; i < 5; i++)
        {
            var check = await _tokens.CheckAsync(_tenant.Mint(Audience, Guid.NewGuid(), key: EntraIdStandIn.UnpublishedKey()), TestContext.Current.CancellationToken);
            Assert.Null(check.Identity);
        }

        Assert.Equal(2, _tenant.MetadataReads);
    }

    [Theory]
    [InlineData("")]
    [InlineData("eyJ.eyJ.")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln")]
    [InlineData("not a token at all")]
    public async Task Malformed_tokens_are_refused_without_throwing(string token)
    {
        var check = await _tokens.CheckAsync(token, TestContext.Current.CancellationToken);

        Assert.Null(check.Identity);
        Assert.NotNull(check.RefusedBecause);
    }

    [Fact]
    public async Task When_the_tenants_metadata_cannot_be_read_tokens_are_refused_and_say_why()
    {
        var offline = new EntraIdTokens(Configured(_tenant.TenantId.ToString(), Audience, "http://127.0.0.1:9/")!, _http, TimeProvider.System);

        var check = await offline.CheckAsync(_tenant.Mint(Audience, Guid.NewGuid()), TestContext.Current.CancellationToken);

        Assert.Null(check.Identity);
        Assert.Equal("the tenant's OpenID Connect metadata could not be read", check.RefusedBecause);
    }

    [Fact]
    public void Without_a_tenant_or_audience_sign_in_is_off()
    {
        Assert.Null(Configured(null, null, null));
    }

    [Theory]
    [InlineData("not-a-guid", Audience, null, "Gatehouse__EntraId__TenantId")]
    [InlineData("7f0e3a8b-4d1c-4a57-9e2a-3c5d6b7a8f90", null, null, "Gatehouse__EntraId__Audience")]
    [InlineData("7f0e3a8b-4d1c-4a57-9e2a-3c5d6b7a8f90", Audience, "http://login.example.com/", "Gatehouse__EntraId__Instance")]
    [InlineData("7f0e3a8b-4d1c-4a57-9e2a-3c5d6b7a8f90", Audience, "ftp://127.0.0.1/", "Gatehouse__EntraId__Instance")]
    public void A_bad_setting_stops_the_app_naming_it(string? tenant, string? audience, string? instance, string named)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Configured(tenant, audience, instance));

        Assert.StartsWith(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_issuer_and_metadata_are_the_tenants_v2_endpoints_on_the_public_cloud_by_default()
    {
        var configuration = Configured("7f0e3a8b-4d1c-4a57-9e2a-3c5d6b7a8f90", Audience, null)!;

        Assert.Equal("https://login.microsoftonline.com/7f0e3a8b-4d1c-4a57-9e2a-3c5d6b7a8f90/v2.0", configuration.Issuer);
        Assert.Equal("https://login.microsoftonline.com/7f0e3a8b-4d1c-4a57-9e2a-3c5d6b7a8f90/v2.0/.well-known/openid-configuration", configuration.MetadataAddress.ToString());
        Assert.False(configuration.AllowsHttp);
    }

    private static EntraIdConfiguration? Configured(string? tenant, string? audience, string? instance) =>
        EntraIdConfiguration.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gatehouse:EntraId:TenantId"] = tenant,
            ["Gatehouse:EntraId:Audience"] = audience,
            ["Gatehouse:EntraId:Instance"] = instance,
        }).Build());
}
