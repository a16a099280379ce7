using Gatehouse.Core.Access;

namespace Gatehouse.Core.Tests.Access;

/// <summary>What each role grants, as a table: role × scope × action × control plane.</summary>
public sealed class PermissionsTests
{
    private static readonly string s_mine = Guid.NewGuid().ToString();
    private static readonly string s_other = Guid.NewGuid().ToString();

    private static Principal Holding(params (string Role, string Entity)[] roles) =>
        Principal.Of(
            new SystemAccount(Guid.NewGuid(), "ci", "", false, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch),
            [.. roles.Select(r => new AssignedRole(Guid.NewGuid(), r.Role, r.Entity, ControlPlaneRoles.EntityType, "*"))]);

    public static TheoryData<string, string, ControlPlaneAction, bool, string?> Matrix()
    {
        var data = new TheoryData<string, string, ControlPlaneAction, bool, string?>();
        foreach (var role in ControlPlaneRoles.All)
        {
            foreach (var scope in new[] { "mine", "*" })
            {
                foreach (var action in new[] { ControlPlaneAction.Read, ControlPlaneAction.Write })
                {
                    foreach (var onMine in new[] { true, false })
                    {
                        var reaches = scope == "*" || onMine;
                        var granted = reaches && (role == ControlPlaneRoles.Admin || (role == ControlPlaneRoles.Viewer && action == ControlPlaneAction.Read));
                        data.Add(role, scope, action, onMine, granted ? null : action == ControlPlaneAction.Read ? "Viewer" : "Admin");
                    }
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void The_control_plane_as_a_whole_is_Admin_s_and_Viewer_s_only_where_assigned(string role, string scope, ControlPlaneAction action, bool onMine, string? missing)
    {
        var principal = Holding((role, scope == "*" ? "*" : s_mine));
        Assert.Equal(missing, Permissions.Missing(principal, action, onMine ? s_mine : s_other, ControlPlaneResource.Whole));
    }

    [Theory]
    [InlineData("services", null, "Deployer, Gateway Service Admin or Admin")]
    [InlineData("routes", "services", "Deployer, Route Admin or Admin")]
    [InlineData("plugins", null, "Deployer, Plugin Admin or Admin")]
    [InlineData("plugins", "services", "Deployer, Gateway Service Admin, Plugin Admin or Admin")]
    [InlineData("plugins", "routes", "Deployer, Plugin Admin, Route Admin or Admin")]
    [InlineData("plugins", "consumers", "Consumer Admin, Deployer, Plugin Admin or Admin")]
    [InlineData("plugins", "consumer_groups", "Consumer Admin, Deployer, Plugin Admin or Admin")]
    [InlineData("key-auths", "consumers", "Consumer Admin or Admin")]
    [InlineData("consumer_groups", null, "Consumer Admin or Admin")]
    [InlineData("ca_certificates", null, "Certificate Admin or Admin")]
    [InlineData("snis", "certificates", "SNI Admin or Admin")]
    [InlineData("targets", "upstreams", "Upstream Admin or Admin")]
    [InlineData("vaults", null, "Admin")]
    [InlineData("keys", "key-sets", "Admin")]
    public void An_entity_is_written_by_the_roles_Konnect_names_for_its_type(string collection, string? parent, string roles)
    {
        Assert.Equal(roles, Permissions.Missing(Holding(("Viewer", "*")), ControlPlaneAction.Write, s_mine, ControlPlaneResource.Entities(collection, parent)));
        foreach (var role in roles.Replace(" or ", ", ", StringComparison.Ordinal).Split(", "))
        {
            Assert.Null(Permissions.Missing(Holding((role, s_mine)), ControlPlaneAction.Write, s_mine, ControlPlaneResource.Entities(collection, parent)));
            Assert.NotNull(Permissions.Missing(Holding((role, s_mine)), ControlPlaneAction.Write, s_other, ControlPlaneResource.Entities(collection, parent)));
        }
    }

    [Fact]
    public void Reads_follow_the_writes_and_Konnect_s_extra_reads()
    {
        var certificates = ControlPlaneResource.Entities("certificates");
        Assert.Equal("Viewer, Certificate Admin, SNI Admin or Upstream Admin", Permissions.Missing(Holding(), ControlPlaneAction.Read, s_mine, certificates));
        Assert.Null(Permissions.Missing(Holding(("SNI Admin", s_mine)), ControlPlaneAction.Read, s_mine, certificates));
        Assert.Equal("Certificate Admin or Admin", Permissions.Missing(Holding(("SNI Admin", s_mine)), ControlPlaneAction.Write, s_mine, certificates));
        // Every role on a control plane reads the control plane itself, and sees it listed; Creator grants nothing on one.
        foreach (var role in ControlPlaneRoles.All.Where(r => r != ControlPlaneRoles.Creator))
        {
            Assert.True(Permissions.MaySee(Holding((role, s_mine)), Guid.Parse(s_mine)), role);
            Assert.False(Permissions.MaySee(Holding((role, s_mine)), Guid.Parse(s_other)), role);
        }
        Assert.False(Permissions.MaySee(Holding(("Creator", "*")), Guid.Parse(s_mine)));
        // Entity roles reach nothing of the control plane as a whole: settings, DP certificates, nodes, import, membership.
        Assert.Equal("Viewer", Permissions.Missing(Holding(("Deployer", "*")), ControlPlaneAction.Read, s_mine, ControlPlaneResource.Whole));
        Assert.Equal("Admin", Permissions.Missing(Holding(("Deployer", "*")), ControlPlaneAction.Write, s_mine, ControlPlaneResource.Whole));
    }

    [Fact]
    public void Creator_alone_creates_and_the_organization_admin_does_everything()
    {
        Assert.True(Permissions.MayCreateControlPlanes(Holding(("Creator", "*"))));
        Assert.False(Permissions.MayCreateControlPlanes(Holding(("Admin", "*"), ("Viewer", "*"))));
        Assert.False(Permissions.MayCreateControlPlanes(Holding()));
        Assert.True(Permissions.MayCreateControlPlanes(Principal.OrganizationAdmin));
        Assert.Null(Permissions.Missing(Principal.OrganizationAdmin, ControlPlaneAction.Write, s_other));
        Assert.Equal("Viewer", Permissions.Missing(Holding(), ControlPlaneAction.Read, s_mine));
    }

    [Fact]
    public void A_role_on_another_entity_type_grants_nothing()
    {
        var principal = Principal.Of(
            new SystemAccount(Guid.NewGuid(), "ci", "", false, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch),
            [new AssignedRole(Guid.NewGuid(), "Admin", "*", "Portals", "*")]);
        Assert.Equal("Admin", Permissions.Missing(principal, ControlPlaneAction.Write, s_mine));
        Assert.False(Permissions.MaySee(principal, Guid.Parse(s_mine)));
    }

    [Fact]
    public void Ids_match_whatever_their_letter_case_and_a_non_uuid_matches_only_star()
    {
        var upper = Holding(("Admin", s_mine.ToUpperInvariant()));
        Assert.Null(Permissions.Missing(upper, ControlPlaneAction.Write, s_mine));
        Assert.Equal("Viewer", Permissions.Missing(Holding(("Admin", s_mine)), ControlPlaneAction.Read, "*"));
        Assert.Null(Permissions.Missing(Holding(("Admin", "*")), ControlPlaneAction.Read, "not-a-uuid"));
    }

    [Fact]
    public void Tokens_are_long_random_and_recognised_by_shape()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => AccessTokenSecret.NewSystemAccountToken()).ToList();
        Assert.Equal(100, tokens.Distinct().Count());
        Assert.All(tokens, t => Assert.True(AccessTokenSecret.LooksLikeSystemAccountToken(t)));
        Assert.All(tokens, t => Assert.Matches("^spat_[0-9A-Za-z]{43}$", t));
        Assert.False(AccessTokenSecret.LooksLikeSystemAccountToken("spat_short"));
        Assert.False(AccessTokenSecret.LooksLikeSystemAccountToken("kpat_" + tokens[0][5..]));
        Assert.Equal(64, AccessTokenSecret.Hash(tokens[0]).Length);
    }
}
