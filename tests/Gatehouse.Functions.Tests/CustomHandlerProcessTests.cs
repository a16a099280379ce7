using System.Net;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests;

/// <summary>The app as a real process, started the way the Azure Functions host starts a custom handler.</summary>
public sealed class CustomHandlerProcessTests(StorageFixture storage)
{
    [Fact]
    public async Task Listens_on_the_port_the_Functions_host_gives_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await AppProcess.StartAsync(storage, storage.UniqueName("t"));
        var output = app.Output;
        using var client = new HttpClient { BaseAddress = app.Client.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz", ct)).StatusCode);
        Assert.Contains(output, line => line.Contains("Gatehouse storage: tables", StringComparison.Ordinal));
        Assert.DoesNotContain(output, line => line.Contains(AzuriteProcess.AccountKey, StringComparison.Ordinal));

        // A refused and an accepted management request: the token is never written to the log.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v2/control-planes", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/v2/control-planes", ct)).StatusCode);
        Assert.DoesNotContain(output, line => line.Contains(RunningApp.AdminToken, StringComparison.Ordinal));
    }
}
