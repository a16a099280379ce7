using System.Net;
using Gatehouse.Functions.Http;
using Gatehouse.Testing;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Functions.Tests.Http;

/// <summary>RFC 9110 §13.1.2: one reading of <c>If-None-Match</c> for every conditional GET of a snapshot.</summary>
public sealed class IfNoneMatchTests(StorageFixture storage)
{
    private const string Current = "\"0123456789abcdef0123456789abcdef\"";

    [Theory]
    [InlineData(Current, true)]
    [InlineData("\"other\", " + Current, true)]
    [InlineData("\"other\"," + Current + ",\"more\"", true)]
    [InlineData("W/" + Current, true)] // weak comparison: a weak tag matches its strong twin
    [InlineData("*", true)] // any current representation
    [InlineData("\"other\"", false)]
    [InlineData("0123456789abcdef0123456789abcdef", false)] // not an entity tag: unquoted
    [InlineData("", false)]
    public void The_condition_fails_for_the_current_tag_weak_or_strong_or_for_any(string header, bool matches)
    {
        var request = new DefaultHttpContext().Request;
        request.Headers.IfNoneMatch = header;
        Assert.Equal(matches, IfNoneMatch.Matches(request, Current));
    }

    [Fact]
    public void Without_the_header_nothing_matches() =>
        Assert.False(IfNoneMatch.Matches(new DefaultHttpContext().Request, Current));

    [Fact]
    public async Task The_declarative_config_answers_304_to_a_star_as_the_data_plane_config_does()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var cp = (await app.CreateControlPlaneAsync("if-none-match")).Split('/')[3];
        var path = $"/v2/control-planes/{cp}/declarative-config";
        var ct = TestContext.Current.CancellationToken;

        var full = await app.Client.GetAsync(path, ct);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        foreach (var condition in new[] { "*", "W/" + full.Headers.ETag!.Tag })
        {
            using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
            conditional.Headers.TryAddWithoutValidation("If-None-Match", condition);
            var response = await app.Client.SendAsync(conditional, ct);
            Assert.True(response.StatusCode == HttpStatusCode.NotModified, $"If-None-Match: {condition} gave {(int)response.StatusCode}");
            Assert.Equal(full.Headers.ETag, response.Headers.ETag);
        }
    }
}
