using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// Random and mutated bodies and ids against the DP certificate endpoints: none may get a 5xx,
/// every refusal is the spec's <c>{"message"}</c>, and what is left stored is valid by the spec.
/// The seed is printed on failure; set GATEHOUSE_FUZZ_SEED to replay a run.
/// </summary>
public sealed class DpClientCertFuzzTests(StorageFixture storage)
{
    private const int Requests = 300;

    // No dot segments (by URL rules ".." addresses the control plane itself) and no %00 (Kestrel
    // refuses it before the app sees the request).
    private static readonly string[] s_ids = ["not-a-uuid", "...", "a%2Fb", "ü", new string('k', 600), "00000000-0000-4000-8000-000000000000", "generate"];

    [Fact]
    public async Task Random_bodies_and_ids_never_get_a_5xx_and_leave_only_valid_certificates()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("GATEHOUSE_FUZZ_SEED"), out var s) ? s : 20261121;
        var random = new Random(seed);
        await using var app = await RunningApp.StartAsync(storage);
        var cp = await (await app.Client.PostJsonAsync("/v2/control-planes", """{"name":"dp-fuzz"}""")).ExpectAsync(HttpStatusCode.Created);
        var root = $"/v2/control-planes/{cp.GetProperty("id").GetString()}/dp-client-certificates";
        var pems = Enumerable.Range(0, 4).Select(i => TestCertificates.Server($"CN=fuzz-{i}", elliptic: i % 2 == 0)).ToList();
        var existing = (await (await app.Client.PostJsonAsync(root, JsonSerializer.Serialize(new { cert = pems[0].Certificate }))).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("item").GetProperty("id").GetString()!;

        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < Requests; i++)
        {
            var id = random.Next(3) switch { 0 => s_ids[random.Next(s_ids.Length)], 1 => existing, _ => Guid.NewGuid().ToString() };
            var (method, url, body) = random.Next(5) switch
            {
                0 or 1 => ("POST", root, Body(random, pems)),
                2 => ("POST", $"{root}/generate", Generation(random)),
                3 => ("PUT", $"{root}/{id}", Body(random, pems)),
                _ => (random.Next(2) == 0 ? "GET" : "DELETE", $"{root}/{id}", []),
            };
            using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            using var response = await app.Client.SendAsync(request, TestContext.Current.CancellationToken);
            await MessageFuzzing.RecordAsync(response, $"{method} {url}", body, failures, statuses);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"fuzz seed {seed}: statuses {string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}x{p.Value}"))}");
        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} bad answers:\n{string.Join('\n', failures.Take(10))}");
        Assert.True(statuses.Keys.Any(k => k == 201), "the fuzzer never pinned anything; it is not exercising the happy path");

        var list = await (await app.Client.GetAsync(root, TestContext.Current.CancellationToken)).ExpectAsync(HttpStatusCode.OK);
        foreach (var item in list.GetProperty("items").EnumerateArray())
        {
            Assert.Empty(ReferenceSpecs.ControlPlanesConfig.ValidateComponent("DataPlaneClientCertificate", item));
            Assert.DoesNotContain("PRIVATE KEY", item.GetRawText());
        }
    }

    private static byte[] Body(Random random, List<TestCertificates.Pair> pems)
    {
        var pair = pems[random.Next(pems.Count)];
        var body = new JsonObject { ["cert"] = pair.Certificate, ["title"] = "t" };
        for (var changes = random.Next(0, 3); changes > 0; changes--)
        {
            switch (random.Next(8))
            {
                case 0:
                    body.Remove("cert");
                    break;
                case 1:
                    body["cert"] = RandomValue(random);
                    break;
                case 2:
                    body["cert"] = pair.Certificate + pair.Key;
                    break;
                case 3:
                    body["cert"] = pair.Certificate.Replace('A', 'B');
                    break;
                case 4:
                    body["cert"] = pair.Certificate[..random.Next(pair.Certificate.Length)];
                    break;
                case 5:
                    body["title"] = RandomValue(random);
                    break;
                case 6:
                    body[MessageFuzzing.RandomString(random, 6)] = RandomValue(random);
                    break;
                default:
                    return Garbage(random);
            }
        }
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    private static byte[] Generation(Random random) => random.Next(6) switch
    {
        0 => [],
        1 => Encoding.UTF8.GetBytes("""{"validity_months":3}"""),
        2 => Encoding.UTF8.GetBytes(new JsonObject { ["validity_months"] = RandomValue(random) }.ToJsonString()),
        3 => Encoding.UTF8.GetBytes(new JsonObject { ["title"] = RandomValue(random) }.ToJsonString()),
        4 => Encoding.UTF8.GetBytes(new JsonObject { [MessageFuzzing.RandomString(random, 5)] = RandomValue(random) }.ToJsonString()),
        _ => Garbage(random),
    };

    private static byte[] Garbage(Random random) => random.Next(6) switch
    {
        0 => Encoding.UTF8.GetBytes("{\"cert\":"),
        1 => [0xff, 0xfe, 0x7b, 0x7d],
        2 => Encoding.UTF8.GetBytes(new string('[', 2000) + new string(']', 2000)),
        3 => Encoding.UTF8.GetBytes("{\"cert\":\"a\",\"cert\":\"b\"}"),
        4 => Encoding.UTF8.GetBytes("{\"cert\":\"" + new string('x', 1_100_000) + "\"}"),
        _ => Encoding.UTF8.GetBytes(RandomValue(random)?.ToJsonString() ?? "null"),
    };

    private static JsonNode? RandomValue(Random random) => random.Next(9) switch
    {
        0 => null,
        1 => random.Next(2) == 0,
        2 => random.Next(-5, 70000),
        3 => random.NextDouble() * 1e12,
        4 => MessageFuzzing.RandomString(random, random.Next(0, 40)),
        5 => new[] { "", " ", "-----BEGIN CERTIFICATE-----", "a\u0000b", "\ud800", "🚀", new string('t', 300) }[random.Next(7)],
        6 => long.MaxValue,
        7 => new JsonArray(MessageFuzzing.RandomString(random, 3), 1),
        _ => new JsonObject { ["a"] = 1 },
    };
}
