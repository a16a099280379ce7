using System.Net;
using Gatehouse.Core.Access;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.Access;

/// <summary>Guessing tokens from one address is turned away with a 429 after a few refusals; other addresses are not.</summary>
public sealed class FailedTokenThrottlingTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_the_allowed_refused_tokens_an_address_gets_429_with_retry_after_even_for_a_good_token_while_others_pass()
    {
        await using var app = await RunningApp.StartAsync(storage, new Dictionary<string, string?> { ["Gatehouse:Audit:TrustForwardedFor"] = "true" });

        for (var i = 0; i < FailedTokenAttempts.Allowed; i++)
        {
            using var guess = Request("spat_" + new string((char)('a' + i), 40), "203.0.113.7");
            Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous.SendAsync(guess, Ct)).StatusCode);
        }

        using var next = Request("spat_" + new string('z', 40), "203.0.113.7");
        var turnedAway = await app.Anonymous.SendAsync(next, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, turnedAway.StatusCode);
        Assert.InRange(turnedAway.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, FailedTokenAttempts.Window.TotalSeconds);
        Assert.Contains("Too many refused tokens", await turnedAway.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // While turned away, not even a good token is checked from there: a guess cannot be told from it.
        using var good = Request(RunningApp.AdminToken, "203.0.113.7");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await app.Anonymous.SendAsync(good, Ct)).StatusCode);

        using var elsewhere = Request(RunningApp.AdminToken, "198.51.100.9");
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.SendAsync(elsewhere, Ct)).StatusCode);
        // A request with no token at all is no guess: it gets its 401 and counts for nothing.
        using var none = new HttpRequestMessage(HttpMethod.Get, "/v2/control-planes");
        none.Headers.Add("X-Forwarded-For", "198.51.100.10");
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous.SendAsync(none, Ct)).StatusCode);
    }

    private static HttpRequestMessage Request(string token, string from)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v2/control-planes");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-Forwarded-For", from);
        return request;
    }
}
