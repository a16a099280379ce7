using Gatehouse.Sidecar.Hub;

namespace Gatehouse.Sidecar.Tests.Hub;

public sealed class HubUrlsTests
{
    [Theory]
    [InlineData("https://cp.example:7443/v1/dp/hub", "https://cp.example:7443/v1/dp/hub/negotiate?negotiateVersion=1")]
    [InlineData("https://cp.example/v1/dp/hub/", "https://cp.example/v1/dp/hub/negotiate?negotiateVersion=1")]
    [InlineData("https://gh.service.signalr.net/client/?hub=dataplane", "https://gh.service.signalr.net/client/negotiate?hub=dataplane&negotiateVersion=1")]
    [InlineData("https://cp.example/hub?negotiateVersion=0", "https://cp.example/hub/negotiate?negotiateVersion=0")]
    public void Negotiate_goes_under_the_hub_path_keeping_its_query(string hub, string expected)
    {
        Assert.Equal(expected, HubUrls.Negotiate(new Uri(hub)).AbsoluteUri);
    }

    [Theory]
    [InlineData("https://cp.example:7443/v1/dp/hub", "wss://cp.example:7443/v1/dp/hub?id=c%2B1&access_token=t.o%2Bk%3D")]
    [InlineData("http://127.0.0.1:5000/hub", "ws://127.0.0.1:5000/hub?id=c%2B1&access_token=t.o%2Bk%3D")]
    [InlineData("https://gh.service.signalr.net/client/?hub=dataplane", "wss://gh.service.signalr.net/client/?hub=dataplane&id=c%2B1&access_token=t.o%2Bk%3D")]
    public void The_WebSocket_url_maps_the_scheme_and_carries_the_connection_and_the_token(string hub, string expected)
    {
        Assert.Equal(expected, HubUrls.WebSocket(new Uri(hub), "c+1", "t.o+k=").AbsoluteUri);
    }

    [Fact]
    public void The_default_port_stays_implicit()
    {
        Assert.Equal("wss://cp.example/hub?id=x", HubUrls.WebSocket(new Uri("https://cp.example/hub"), "x", null).AbsoluteUri);
    }

    [Fact]
    public void Other_schemes_are_refused()
    {
        Assert.Throws<HubProtocolException>(() => HubUrls.WebSocket(new Uri("ftp://cp.example/hub"), "x", null));
    }
}
