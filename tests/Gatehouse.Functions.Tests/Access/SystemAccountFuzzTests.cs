using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests.Access;

/// <summary>
/// Mutated and random bodies against every /v3 write. None may get a 5xx, every refusal must be the
/// identity spec's problem+json, and afterwards every stored account, token and role must still be
/// valid by the spec and by the rules of an assignment. GATEHOUSE_FUZZ_SEED replays a run.
/// </summary>
public sealed class SystemAccountFuzzTests(StorageFixture storage)
{
    private const int RequestsPerOperation = 60;

    private static readonly string[] s_roles =
        ["Admin", "Certificate Admin", "Consumer Admin", "Creator", "Deployer", "Gateway Service Admin", "Plugin Admin", "Route Admin", "SNI Admin", "Upstream Admin", "Viewer"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Mutated_bodies_never_get_a_5xx_and_leave_only_valid_identities()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("GATEHOUSE_FUZZ_SEED"), out var s) ? s : 20261202;
        var random = new Random(seed);
        await using var app = await RunningApp.StartAsync(storage);
        var account = await SystemAccounts.CreateAsync(app, "fuzzed");
        await SystemAccounts.CreateTokenAsync(app, account, "seed");
        var accountPath = $"/v3/system-accounts/{account}";
        var tokenId = (await (await app.Client.GetAsync($"{accountPath}/access-tokens", Ct)).ExpectAsync(HttpStatusCode.OK))
            .GetProperty("data")[0].GetProperty("id").GetString();
        var future = DateTimeOffset.UtcNow.AddDays(1).ToString("O");

        var operations = new (string Method, string Url, string Template, string Valid)[]
        {
            ("POST", "/v3/system-accounts", "/v3/system-accounts", """{"name":"n","description":"d","konnect_managed":false}"""),
            ("PATCH", accountPath, "/v3/system-accounts/{accountId}", """{"name":"fuzzed","description":"d"}"""),
            ("POST", $"{accountPath}/access-tokens", "/v3/system-accounts/{accountId}/access-tokens", $$"""{"name":"t","expires_at":"{{future}}"}"""),
            ("PATCH", $"{accountPath}/access-tokens/{tokenId}", "/v3/system-accounts/{accountId}/access-tokens/{tokenId}", """{"name":"seed"}"""),
            ("POST", $"{accountPath}/assigned-roles", "/v3/system-accounts/{accountId}/assigned-roles",
                """{"role_name":"Viewer","entity_id":"*","entity_type_name":"Control Planes","entity_region":"us"}"""),
        };

        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        foreach (var (method, url, template, valid) in operations)
        {
            for (var i = 0; i < RequestsPerOperation; i++)
            {
                var body = random.Next(6) == 0 ? Garbage(random) : Mutate(random, JsonNode.Parse(valid)!.AsObject());
                using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new("application/json");
                using var response = await app.Client.SendAsync(request, Ct);
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                if (status >= 500)
                {
                    failures.Add($"{method} {url} {MessageFuzzing.Truncate(Encoding.UTF8.GetString(body))} -> {status} {await response.Content.ReadAsStringAsync(Ct)}");
                }
                else if (status >= 400 && await SpecErrorsAsync(response, method, template) is { Count: > 0 } errors)
                {
                    failures.Add($"{method} {url} {MessageFuzzing.Truncate(Encoding.UTF8.GetString(body))} -> {status}: {string.Join("; ", errors)}");
                }
            }
        }
        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} failures\n{string.Join('\n', failures.Take(10))}");
        Assert.True(statuses.Keys.Count(k => k is >= 200 and < 300) > 0 && statuses.ContainsKey(400), $"seed {seed}: statuses {string.Join(", ", statuses)}");

        await AssertStoredIdentitiesAreValidAsync(app.Client);
    }

    /// <summary>
    /// A refusal against the spec: the operation's own response, or for a 400 the spec leaves out of
    /// some writes (Konnect answers them all the same), its IdentityBadRequest schema.
    /// </summary>
    private static async Task<IReadOnlyList<string>> SpecErrorsAsync(HttpResponseMessage response, string method, string template)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return [$"content type {response.Content.Headers.ContentType}"];
        }
        var body = await response.JsonAsync();
        var errors = response.StatusCode == HttpStatusCode.BadRequest
            ? ReferenceSpecs.Identity.ValidateComponent("BadRequestError", body)
            : ReferenceSpecs.Identity.ValidateResponse(method, template, (int)response.StatusCode, "application/problem+json", body);
        return [.. errors.Select(e => e.ToString())];
    }

    private static async Task AssertStoredIdentitiesAreValidAsync(HttpClient api)
    {
        var accounts = await (await api.GetAsync("/v3/system-accounts?page[size]=100", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(0, accounts.GetProperty("data").GetArrayLength());
        foreach (var account in accounts.GetProperty("data").EnumerateArray())
        {
            var path = $"/v3/system-accounts/{account.GetProperty("id").GetString()}";
            Assert.False(string.IsNullOrWhiteSpace(account.GetProperty("name").GetString()));
            await OpenApiAssert.ValidResponseAsync(ReferenceSpecs.Identity, "GET", "/v3/system-accounts/{accountId}", await api.GetAsync(path, Ct), Ct);

            var tokens = await (await api.GetAsync($"{path}/access-tokens?page[size]=100", Ct)).ExpectAsync(HttpStatusCode.OK);
            foreach (var token in tokens.GetProperty("data").EnumerateArray())
            {
                Assert.False(string.IsNullOrWhiteSpace(token.GetProperty("name").GetString()));
                Assert.False(token.TryGetProperty("token", out _));
                await OpenApiAssert.ValidResponseAsync(ReferenceSpecs.Identity, "GET", "/v3/system-accounts/{accountId}/access-tokens/{tokenId}",
                    await api.GetAsync($"{path}/access-tokens/{token.GetProperty("id").GetString()}", Ct), Ct);
            }

            var roles = await (await api.GetAsync($"{path}/assigned-roles?page[size]=100", Ct)).ExpectAsync(HttpStatusCode.OK);
            foreach (var role in roles.GetProperty("data").EnumerateArray())
            {
                Assert.Contains(role.GetProperty("role_name").GetString(), s_roles);
                Assert.Equal("Control Planes", role.GetProperty("entity_type_name").GetString());
                var entity = role.GetProperty("entity_id").GetString();
                Assert.True(entity == "*" || Guid.TryParseExact(entity, "D", out _), $"stored entity_id {entity}");
                Assert.Contains(role.GetProperty("entity_region").GetString(), new[] { "us", "eu", "au", "me", "in", "sg", "*" });
            }
        }
    }

    /// <summary>A valid body with one to three changes: a field dropped, retyped, nulled, added, or given a near-miss value.</summary>
    private static byte[] Mutate(Random random, JsonObject body)
    {
        for (var changes = random.Next(1, 4); changes > 0; changes--)
        {
            var names = body.Select(p => p.Key).ToList();
            switch (random.Next(5))
            {
                case 0 when names.Count > 0:
                    body.Remove(names[random.Next(names.Count)]);
                    break;
                case 1 when names.Count > 0:
                    body[names[random.Next(names.Count)]] = RandomValue(random, 2);
                    break;
                case 2 when names.Count > 0:
                    body[names[random.Next(names.Count)]] = null;
                    break;
                case 3:
                    body[MessageFuzzing.RandomString(random, 6)] = RandomValue(random, 1);
                    break;
                default:
                    if (names.Count > 0)
                    {
                        body[names[random.Next(names.Count)]] = new[]
                        {
                            "", " ", "*", "viewer", "Admin ", "control planes", "US", "2020-01-01T00:00:00Z", "not-a-date", "00000000-0000-0000-0000-000000000000",
                            new string('n', 300), "a\u0000b", "🚀",
                        }[random.Next(13)];
                    }
                    break;
            }
        }
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    private static byte[] Garbage(Random random) => random.Next(5) switch
    {
        0 => [],
        1 => Encoding.UTF8.GetBytes("{\"name\":"),
        2 => [0xff, 0xfe, 0x7b, 0x7d],
        3 => Encoding.UTF8.GetBytes("{\"name\":\"a\",\"name\":\"b\"}"),
        _ => Encoding.UTF8.GetBytes(RandomValue(random, 3)?.ToJsonString() ?? "null"),
    };

    private static JsonNode? RandomValue(Random random, int depth) => random.Next(depth > 0 ? 8 : 6) switch
    {
        0 => null,
        1 => random.Next(2) == 0,
        2 => random.Next(-5, 70000),
        3 => MessageFuzzing.RandomString(random, random.Next(0, 30)),
        4 => long.MaxValue,
        5 => random.NextDouble(),
        6 => new JsonArray([.. Enumerable.Range(0, random.Next(0, 3)).Select(_ => RandomValue(random, depth - 1))]),
        _ => new JsonObject { [MessageFuzzing.RandomString(random, 4)] = RandomValue(random, depth - 1) },
    };
}
