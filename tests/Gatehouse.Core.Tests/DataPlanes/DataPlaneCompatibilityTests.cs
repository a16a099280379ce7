using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Core.Composition;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;

namespace Gatehouse.Core.Tests.DataPlanes;

/// <summary>Kong's hybrid-mode compatibility rules, as a table of cases, and how a snapshot's plugins are found.</summary>
public sealed class DataPlaneCompatibilityTests
{
    private static readonly KongVersion s_cp = KongVersion.Parse("3.9.1");

    private static readonly IReadOnlyList<NodePlugin> s_bundled = [new("rate-limiting", "3.9.1"), new("key-auth", "3.9.1"), new("cors", "3.9.1")];

    private static readonly Dictionary<string, IReadOnlyList<string>> s_usesRateLimiting = new() { ["rate-limiting"] = ["p1", "p2"] };

    public static TheoryData<string, string, string[]> VersionCases => new()
    {
        { "3.9.1", "same version", [] },
        { "3.9.1.0", "Enterprise four-part version", [] },
        { "3.9.0", "older patch", [] },
        { "3.9.7", "newer patch: only major and minor count", [] },
        { "3.4.2", "older minor", [] },
        { "3.10.0.0", "newer minor", [NodeCompatibility.KongVersionIncompatible] },
        { "4.0.0", "newer major", [NodeCompatibility.KongVersionIncompatible] },
        { "2.8.4.1", "older major", [NodeCompatibility.KongVersionIncompatible] },
    };

    [Theory]
    [MemberData(nameof(VersionCases))]
    public void The_data_planes_Kong_must_have_the_control_planes_major_and_a_minor_not_newer(string nodeVersion, string why, string[] codes)
    {
        var status = NodeCompatibility.Check(s_cp, nodeVersion, s_bundled, s_usesRateLimiting);
        Assert.True(codes.SequenceEqual(status.Issues.Select(i => i.Code)), why);
        Assert.Equal(codes.Length == 0 ? CompatibilityStatus.FullyCompatible : CompatibilityStatus.Incompatible, status.State);
    }

    public static TheoryData<string?, string, string[]> PluginCases => new()
    {
        { "3.9.1", "same version", [] },
        { "3.4.0", "older minor", [] },
        { "3.9.9", "newer patch", [] },
        { null, "no version on the data plane: not compared, as Kong does", [] },
        { "3.10.0", "newer minor", [NodeCompatibility.PluginVersionIncompatible] },
        { "2.9.1", "other major", [NodeCompatibility.PluginVersionIncompatible] },
        { "", "missing", [NodeCompatibility.PluginSetIncompatible] },
    };

    [Theory]
    [MemberData(nameof(PluginCases))]
    public void Every_configured_plugin_must_be_installed_with_the_same_major_and_a_minor_not_newer(string? installed, string why, string[] codes)
    {
        var plugins = installed == "" ? [new NodePlugin("key-auth", "3.9.1")] : new List<NodePlugin> { new("rate-limiting", installed), new("key-auth", "3.9.1") };
        var status = NodeCompatibility.Check(s_cp, "3.9.1", plugins, s_usesRateLimiting);
        Assert.True(codes.SequenceEqual(status.Issues.Select(i => i.Code)), why);
        if (status.Issues is [var issue])
        {
            Assert.Equal("error", issue.Severity);
            Assert.Contains("rate-limiting", issue.Description, StringComparison.Ordinal);
            Assert.NotEmpty(issue.Resolution);
            Assert.Equal(["p1", "p2"], issue.AffectedResources.Select(r => r.Id));
            Assert.All(issue.AffectedResources, r => Assert.Equal("plugin", r.Type));
        }
    }

    [Fact]
    public void Plugins_installed_but_not_configured_do_not_matter_and_every_issue_is_listed()
    {
        Assert.Equal(CompatibilityStatus.FullyCompatible,
            NodeCompatibility.Check(s_cp, "3.9.1", [new("rate-limiting", "3.9.1"), new("my-custom", "9.0.0")], s_usesRateLimiting).State);

        var status = NodeCompatibility.Check(s_cp, "3.10.1", [new("cors", "4.0.0")],
            new Dictionary<string, IReadOnlyList<string>> { ["cors"] = ["c"], ["rate-limiting"] = ["r"] });
        Assert.Equal(
            [NodeCompatibility.KongVersionIncompatible, NodeCompatibility.PluginVersionIncompatible, NodeCompatibility.PluginSetIncompatible],
            status.Issues.Select(i => i.Code));
    }

    [Fact]
    public void A_version_that_does_not_parse_is_unknown_not_compatible()
    {
        Assert.Equal(CompatibilityStatus.Unknown, NodeCompatibility.Check(s_cp, "latest", s_bundled, s_usesRateLimiting).State);
        Assert.False(KongVersion.TryParse("3.9", out _));
        Assert.Equal(new KongVersion(3, 10, 0), KongVersion.Parse("3.10.0.0-beta"));
    }

    [Fact]
    public void Enabled_plugins_are_found_at_the_top_level_and_nested_under_services_and_routes()
    {
        var snapshot = Encoding.UTF8.GetBytes("""
        {"_format_version":"3.0",
         "plugins":[{"id":"g1","name":"cors","enabled":true},{"id":"off","name":"acl","enabled":false}],
         "services":[{"id":"s1","name":"svc","plugins":[{"id":"s1p","name":"rate-limiting"}],
                      "routes":[{"id":"r1","plugins":[{"id":"r1p","name":"rate-limiting"},{"id":"r1k","name":"key-auth"}]}]}],
         "consumers":[{"id":"c1","username":"plugins"}]}
        """);
        var plugins = ConfiguredPlugins.Read(snapshot);
        Assert.Equal(["cors", "key-auth", "rate-limiting"], plugins.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["r1p", "s1p"], plugins["rate-limiting"]);
    }

    /// <summary>What a pointer records at compose time is what a reader of the snapshot would find in it.</summary>
    [Fact]
    public void The_names_known_from_the_entities_are_those_found_in_their_snapshot()
    {
        var entities = Composition.DeclarativeConfigTests.Everything();
        var processor = new EntityProcessor(TimeProvider.System);
        // Disabled: a second cors (the enabled one still counts), and the only correlation-id.
        foreach (var body in new[] { """{"name":"cors","enabled":false}""", """{"name":"correlation-id","enabled":false}""" })
        {
            entities["plugins"].Add(processor.Prepare(Plugins.Schema, JsonNode.Parse(body)!.AsObject(), WriteMode.Insert).Entity!);
        }
        var view = Composition.DeclarativeConfigTests.View(entities);

        var names = ConfiguredPlugins.NamesIn(view);

        Assert.Equal(["acl", "basic-auth", "cors", "hmac-auth", "jwt", "key-auth", "mtls-auth", "rate-limiting"], names);
        Assert.Equal(ConfiguredPlugins.Read(DeclarativeConfig.Write(view).Json).Keys.Order(StringComparer.Ordinal), names);
        Assert.Empty(ConfiguredPlugins.NamesIn(new Dictionary<string, IReadOnlyList<JsonObject>>()));
    }

    [Fact]
    public void Consumer_credentials_need_their_plugin_on_the_data_plane()
    {
        var snapshot = Encoding.UTF8.GetBytes("""
        {"_format_version":"3.0",
         "consumers":[{"id":"c1","username":"alice",
                       "keyauth_credentials":[{"id":"k1","key":"k"}],"acls":[],
                       "mtls_auth_credentials":[{"id":"m1","subject_name":"alice"}]}]}
        """);
        var plugins = ConfiguredPlugins.Read(snapshot);
        // An empty section needs nothing.
        Assert.Equal(["key-auth", "mtls-auth"], plugins.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(plugins["key-auth"]);

        // mtls-auth is Kong Enterprise's: an OSS node lacks it, and must not be sent a config it would refuse.
        var status = NodeCompatibility.Check(s_cp, "3.9.1", s_bundled, plugins);
        var issue = Assert.Single(status.Issues);
        Assert.Equal((NodeCompatibility.PluginSetIncompatible, true), (issue.Code, issue.Description.Contains("mtls-auth", StringComparison.Ordinal)));
    }
}
