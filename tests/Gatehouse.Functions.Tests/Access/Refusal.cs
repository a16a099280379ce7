using System.Net;

namespace Gatehouse.Functions.Tests.Access;

/// <summary>Waiting for another instance to notice an identity change.</summary>
internal static class Refusal
{
    /// <summary>
    /// Asks <paramref name="path"/> until it stops answering 200 (for ten seconds at most), asserts it
    /// then answers <paramref name="expected"/>, and that it did so within five seconds.
    /// </summary>
    public static async Task ArrivesWithinSecondsAsync(HttpClient client, string path, HttpStatusCode expected, CancellationToken ct)
    {
        var changed = DateTimeOffset.UtcNow;
        HttpStatusCode status;
        do
        {
            status = (await client.GetAsync(path, ct)).StatusCode;
        }
        while (status == HttpStatusCode.OK && DateTimeOffset.UtcNow - changed < TimeSpan.FromSeconds(10));
        Assert.Equal(expected, status);
        Assert.True(DateTimeOffset.UtcNow - changed < TimeSpan.FromSeconds(5), $"refused only after {DateTimeOffset.UtcNow - changed}");
    }
}
