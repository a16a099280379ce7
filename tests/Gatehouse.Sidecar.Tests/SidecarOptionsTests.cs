namespace Gatehouse.Sidecar.Tests;

public sealed class SidecarOptionsTests : IDisposable
{
    private readonly string _cert = Path.GetTempFileName();

    public void Dispose() => File.Delete(_cert);

    private SidecarOptions Parse(string[] args, Dictionary<string, string>? environment = null) =>
        SidecarOptions.Parse(args, name => environment?.GetValueOrDefault(name));

    [Fact]
    public void Flags_win_over_the_environment_and_the_rest_has_kongs_defaults()
    {
        var options = Parse(["--control-plane-url", "https://cp.example:7443/base", "--poll-interval=2.5"],
            new() { ["GATEHOUSE_CONTROL_PLANE_URL"] = "https://ignored", ["GATEHOUSE_CLIENT_CERT"] = _cert, ["GATEHOUSE_DP_LABELS"] = "region:eu, tier:gold" });

        Assert.Equal(new Uri("https://cp.example:7443/base/"), options.ControlPlaneUrl);
        Assert.Equal(_cert, options.CertificateFile);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.PollInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), options.HeartbeatInterval);
        Assert.Equal(new Uri("http://127.0.0.1:8001"), options.KongAdminUrl);
        Assert.Equal(new Dictionary<string, string> { ["region"] = "eu", ["tier"] = "gold" }, options.Labels);
        Assert.True(options.Push);
        Assert.Null(options.NodeId);
    }

    [Theory]
    [InlineData("--control-plane-url", "--control-plane-url")]
    [InlineData("--nope x", "--nope: no such flag")]
    [InlineData("--control-plane-url ftp://x", "--control-plane-url: 'ftp://x' is not an http(s) URL")]
    [InlineData("--control-plane-url https://x?a=1", "--control-plane-url: 'https://x?a=1' is not an http(s) URL")]
    [InlineData("--key /no/such/file", "--key: no file at '/no/such/file'")]
    [InlineData("--poll-interval 0", "--poll-interval: '0' is not a number of seconds")]
    [InlineData("--poll-interval soon", "--poll-interval: 'soon' is not a number of seconds")]
    [InlineData("--node-id 12", "--node-id: '12' is not a UUID")]
    [InlineData("--labels region", "--labels: 'region' is not a key:value pair")]
    [InlineData("--labels a:1,a:2", "--labels: 'a:2' is not a key:value pair with a new key")]
    [InlineData("--push maybe", "--push: 'maybe' is neither on nor off")]
    public void A_wrong_setting_is_refused_naming_the_flag(string extra, string expected)
    {
        var args = new List<string> { "--cert", _cert };
        if (!extra.StartsWith("--control-plane-url", StringComparison.Ordinal))
        {
            args.AddRange(["--control-plane-url", "https://cp.example"]);
        }
        args.AddRange(extra.Split(' '));
        var error = Assert.Throws<ArgumentException>(() => Parse([.. args]));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_certificate_and_the_control_plane_are_required()
    {
        Assert.Contains("--control-plane-url (or GATEHOUSE_CONTROL_PLANE_URL) is required", Assert.Throws<ArgumentException>(() => Parse([])).Message, StringComparison.Ordinal);
        Assert.Contains("--cert (or GATEHOUSE_CLIENT_CERT) is required",
            Assert.Throws<ArgumentException>(() => Parse(["--control-plane-url", "https://cp"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_usage_lists_every_flag_with_its_variable()
    {
        var usage = SidecarOptions.Usage();
        Assert.All(SidecarOptions.Settings, s => Assert.Contains($"{s.Flag}", usage, StringComparison.Ordinal));
        Assert.All(SidecarOptions.Settings, s => Assert.Contains($"{s.Variable}", usage, StringComparison.Ordinal));
    }
}
