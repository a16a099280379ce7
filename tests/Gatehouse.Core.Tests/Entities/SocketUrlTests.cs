using Gatehouse.Core.Entities;

namespace Gatehouse.Core.Tests.Entities;

/// <summary>LuaSocket's url.parse (src/url.lua at v3.0-rc1), which http-log's custom validator reads the user info from.</summary>
public sealed class SocketUrlTests
{
    [Theory]
    [InlineData("http://example.test/path", "http", null, "example.test")]
    [InlineData("https://bob:secret@example.test:8443/p?q=1#f", "https", "bob:secret", "example.test")]
    [InlineData("http://@example.test", "http", "", "example.test")]
    [InlineData("http://[::1]:4318/v1/traces", "http", null, "::1")]
    [InlineData("http://[::1]", "http", null, "::1")]
    [InlineData("localhost:8080", "localhost", null, null)]
    [InlineData("example.test/path", null, null, null)]
    [InlineData("//example.test/path", null, null, "example.test")]
    [InlineData("http://", "http", null, null)]
    [InlineData("http://user@:80/", "http", "user", null)]
    [InlineData("http://#frag//x", "http", null, null)]
    [InlineData("{vault://env/endpoint}", null, null, null)]
    public void Finds_what_LuaSocket_finds(string url, string? scheme, string? userInfo, string? host) =>
        Assert.Equal(new SocketUrl(scheme, userInfo, host), SocketUrl.Parse(url));
}
