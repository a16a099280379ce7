using Gatehouse.Azure.SignalR;

namespace Gatehouse.Azure.Tests.SignalR;

public sealed class SignalRConnectionStringTests
{
    [Fact]
    public void The_portal_form_parses_with_an_optional_port_and_never_shows_its_key()
    {
        var parsed = SignalRConnectionString.Parse("Endpoint=https://gh.service.signalr.net;AccessKey=c2VjcmV0LWtleQ==;Version=1.0;");
        Assert.Equal(new Uri("https://gh.service.signalr.net"), parsed.Endpoint);
        Assert.DoesNotContain("c2VjcmV0LWtleQ", parsed.ToString());
        Assert.DoesNotContain("c2VjcmV0LWtleQ", parsed.AccessKey.ToString());

        Assert.Equal(8888, SignalRConnectionString.Parse(" endpoint = http://localhost ; accesskey = k ; port = 8888 ").Endpoint.Port);
    }

    [Theory]
    [InlineData("AccessKey=k;Version=1.0;", "Endpoint")]
    [InlineData("Endpoint=ftp://x;AccessKey=k;", "Endpoint")]
    [InlineData("Endpoint=https://x.service.signalr.net;Version=1.0;", "AccessKey")]
    [InlineData("Endpoint=https://x.service.signalr.net;AccessKey=k;Version=2.0;", "Version")]
    [InlineData("Endpoint=https://x.service.signalr.net;AuthType=azure.msi;Version=1.0;", "AuthType")]
    [InlineData("Endpoint=https://x.service.signalr.net;AccessKey=k;Port=http;", "Port")]
    [InlineData("Endpoint=https://x.service.signalr.net;secret-without-equals-sign", "key=value")]
    public void A_malformed_connection_string_names_what_is_wrong_and_not_its_key(string connectionString, string named)
    {
        var error = Assert.Throws<FormatException>(() => SignalRConnectionString.Parse(connectionString));
        Assert.Contains(named, error.Message);
        Assert.DoesNotContain("secret-without", error.Message);
    }
}
