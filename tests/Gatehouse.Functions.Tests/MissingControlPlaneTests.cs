using System.Net;
using System.Text;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests;

/// <summary>Every API that names a control plane says the same when there is none: Konnect's 404, naming which.</summary>
public sealed class MissingControlPlaneTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_API_answers_a_missing_control_plane_in_one_wording_each_in_its_own_dialect()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var id = Guid.NewGuid();
        var root = $"/v2/control-planes/{id}";
        StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

        var answers = new (string Request, HttpResponseMessage Response, string Property)[]
        {
            ("GET control plane", await app.Client.GetAsync(root, Ct), "detail"),
            ("GET group memberships", await app.Client.GetAsync($"{root}/group-memberships", Ct), "detail"),
            ("GET declarative config", await app.Client.GetAsync($"{root}/declarative-config", Ct), "detail"),
            ("PUT declarative config", await app.Client.PutAsync($"{root}/declarative-config", Json("""{"_format_version":"3.0"}"""), Ct), "detail"),
            ("GET core entities", await app.Client.GetAsync($"{root}/core-entities/services", Ct), "message"),
            ("POST core entities", await app.Client.PostAsync($"{root}/core-entities/services", Json("""{"host":"h.internal"}"""), Ct), "message"),
            ("GET consumer group members", await app.Client.GetAsync($"{root}/core-entities/consumer_groups/gold/consumers", Ct), "message"),
            ("GET DP client certificates", await app.Client.GetAsync($"{root}/dp-client-certificates", Ct), "message"),
        };

        foreach (var (request, response, property) in answers)
        {
            var body = await response.ExpectAsync(HttpStatusCode.NotFound);
            Assert.True(body.GetProperty(property).GetString() == $"The requested control plane ({id}) was not found.", $"{request}: {body.GetRawText()}");
        }
    }
}
