using Gatehouse.Functions.DataPlanes.Push;

namespace Gatehouse.Functions.Tests.Push;

/// <summary>The settings choose the hub: none for the in-process one, a connection string or an endpoint for Azure SignalR Service.</summary>
public sealed class PushConfigurationTests
{
    private static PushConfiguration Read(params (string Key, string Value)[] settings) =>
        PushConfiguration.Read(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    [Fact]
    public void Without_settings_push_is_the_in_process_hub()
    {
        var push = Read();
        Assert.True(push.Local);
        Assert.Contains("/v1/dp/hub", push.Description);
    }

    [Fact]
    public void A_connection_string_or_an_endpoint_selects_Azure_SignalR_Service()
    {
        var keyed = Read(("Gatehouse:SignalR:ConnectionString", "Endpoint=https://gh.service.signalr.net;AccessKey=k3y-value;Version=1.0;"));
        Assert.False(keyed.Local);
        Assert.Equal(new Uri("https://gh.service.signalr.net"), keyed.Service!.Endpoint);
        Assert.DoesNotContain("k3y-value", keyed.Description);

        var identity = Read(("Gatehouse:SignalR:Endpoint", "https://gh.service.signalr.net"), ("Gatehouse:SignalR:credential", "managedidentity"));
        Assert.Equal(new Uri("https://gh.service.signalr.net"), identity.Service!.Endpoint);
        Assert.Contains("Entra ID", identity.Description);
    }

    [Theory]
    [InlineData("Gatehouse:SignalR:Endpoint", "http://gh.service.signalr.net", "https URI")]
    [InlineData("Gatehouse:SignalR:Endpoint", "gh.service.signalr.net", "https URI")]
    [InlineData("Gatehouse:SignalR:ConnectionString", "Endpoint=https://gh.service.signalr.net;Version=1.0;", "AccessKey")]
    public void A_malformed_setting_stops_the_app_with_the_reason(string key, string value, string reason)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read((key, value)));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Both_forms_at_once_are_refused_rather_than_one_silently_winning()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(
            ("Gatehouse:SignalR:ConnectionString", "Endpoint=https://a.service.signalr.net;AccessKey=k;Version=1.0;"),
            ("Gatehouse:SignalR:Endpoint", "https://b.service.signalr.net")));
        Assert.Contains("not both", error.Message);
    }
}
