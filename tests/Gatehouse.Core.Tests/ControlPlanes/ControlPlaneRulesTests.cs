using Gatehouse.Core.ControlPlanes;

namespace Gatehouse.Core.Tests.ControlPlanes;

public sealed class ControlPlaneRulesTests
{
    private static IReadOnlyList<string> Fields(NewControlPlane request) =>
        ControlPlaneRules.Check(request).Select(e => $"{e.Field}:{e.Rule}").ToList();

    [Fact]
    public void A_plain_name_is_enough() => Assert.Empty(Fields(new NewControlPlane { Name = "ok" }));

    [Theory]
    [InlineData("x", "name:min_length")]
    [InlineData("", "name:required")]
    [InlineData("  ", "name:required")]
    [InlineData("tab\there", "name:invalid")]
    public void Names_outside_the_rules(string name, string expected) =>
        Assert.Contains(expected, Fields(new NewControlPlane { Name = name }));

    [Fact]
    public void Name_length_counts_characters_not_UTF16_units()
    {
        // 256 emoji are 512 UTF-16 units but 256 characters: allowed.
        Assert.Empty(Fields(new NewControlPlane { Name = string.Concat(Enumerable.Repeat("🚀", 256)) }));
        Assert.Contains("name:max_length", Fields(new NewControlPlane { Name = string.Concat(Enumerable.Repeat("🚀", 257)) }));
    }

    [Theory]
    [InlineData("env", "prod", true)]
    [InlineData("app.kubernetes.io", "web-1_a", true)]
    [InlineData("a", "b", true)]
    [InlineData("konnect-owned", "x", false)]
    [InlineData("KONG", "x", false)]
    [InlineData("mesh", "x", false)]
    [InlineData("kic.version", "x", false)]
    [InlineData("_hidden", "x", false)]
    [InlineData("-leading", "x", false)]
    [InlineData("trailing-", "x", false)]
    [InlineData("env", "-x", false)]
    [InlineData("env", "x-", false)]
    [InlineData("env", "with space", false)]
    [InlineData("env", "", false)]
    public void Labels_follow_the_spec(string key, string value, bool valid)
    {
        var errors = Fields(new NewControlPlane { Name = "ok", Labels = new Dictionary<string, string> { [key] = value } });
        Assert.Equal(valid, errors.Count == 0);
    }

    [Fact]
    public void Proxy_urls_are_a_set_of_at_most_five_valid_entries()
    {
        Assert.Empty(Fields(new NewControlPlane { Name = "ok", ProxyUrls = [new("a", 1, "https"), new("a", 2, "https")] }));
        Assert.Contains("proxy_urls[1]:invalid", Fields(new NewControlPlane { Name = "ok", ProxyUrls = [new("a", 1, "https"), new("a", 1, "https")] }));
        Assert.Contains("proxy_urls:max_items", Fields(new NewControlPlane { Name = "ok", ProxyUrls = [.. Enumerable.Range(1, 6).Select(i => new ProxyUrl("h", i, "https"))] }));
        Assert.Contains("proxy_urls[0].port:min", Fields(new NewControlPlane { Name = "ok", ProxyUrls = [new("h", 70000, "https")] }));
        Assert.Contains("proxy_urls[0].host:max_length", Fields(new NewControlPlane { Name = "ok", ProxyUrls = [new(new string('h', 121), 1, "https")] }));
    }
}
