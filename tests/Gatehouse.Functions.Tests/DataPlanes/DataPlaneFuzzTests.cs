using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests.DataPlanes;

/// <summary>
/// Random and mutated heartbeat bodies over mTLS: none may get a 5xx, every refusal is a
/// <c>{"message"}</c> body, and the nodes left behind are valid by the spec. The seed is printed
/// on failure; set GATEHOUSE_FUZZ_SEED to replay a run.
/// </summary>
public sealed class DataPlaneFuzzTests(StorageFixture storage)
{
    private const int Requests = 300;

    private static readonly string[] s_fields = ["node_id", "hostname", "version", "plugins", "config_hash", "labels", "error"];

    private static readonly string[] s_strings =
        ["", " ", "3.9.1", "3.9.1.0", "3.10.0.0-beta", "3.9", "v3.9.1", "a\u0000b", "\ud800", "🚀", new string('t', 300), "0123456789abcdef0123456789abcdef",
         "00000000-0000-4000-8000-000000000000", "{00000000-0000-4000-8000-000000000000}", "'; DROP TABLE nodes; --", "PartitionKey eq ''"];

    [Fact]
    public async Task Random_heartbeats_never_get_a_5xx_and_leave_only_valid_nodes()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("GATEHOUSE_FUZZ_SEED"), out var s) ? s : 20261122;
        var random = new Random(seed);
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var cp = await kit.CreateControlPlaneAsync("dp-fuzz");
        var (dp, _) = await kit.ConnectAsync(cp);
        var nodes = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToList();

        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < Requests; i++)
        {
            var body = random.Next(10) == 0 ? Garbage(random) : Mutated(random, nodes[random.Next(nodes.Count)]);
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            using var response = await dp.PostAsync("/v1/dp/heartbeat", content, TestContext.Current.CancellationToken);
            await MessageFuzzing.RecordAsync(response, "POST /v1/dp/heartbeat", body, failures, statuses);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"fuzz seed {seed}: statuses {string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}x{p.Value}"))}");
        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} bad answers:\n{string.Join('\n', failures.Take(10))}");
        Assert.True(statuses.ContainsKey(200), "the fuzzer never got a heartbeat through; it is not exercising the happy path");
        Assert.True(statuses.ContainsKey(400), "the fuzzer never got a refusal; it is not exercising validation");

        var list = await kit.Admin.GetAsync($"/v2/control-planes/{cp}/nodes", TestContext.Current.CancellationToken);
        await OpenApiAssert.ValidResponseAsync(ReferenceSpecs.ControlPlanesConfig, "GET", "/control-planes/{controlPlaneId}/nodes", list, TestContext.Current.CancellationToken);
        var items = (await list.JsonAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.All(items, n => Assert.Contains(Guid.Parse(n.GetProperty("id").GetString()!), nodes));
    }

    private static byte[] Mutated(Random random, Guid node)
    {
        var body = JsonNode.Parse(DataPlaneKit.Heartbeat(node))!.AsObject();
        for (var changes = random.Next(0, 4); changes > 0; changes--)
        {
            var field = s_fields[random.Next(s_fields.Length)];
            switch (random.Next(6))
            {
                case 0:
                    body.Remove(field);
                    break;
                case 1:
                    body[field] = RandomValue(random);
                    break;
                case 2:
                    body["plugins"] = new JsonArray([.. Enumerable.Range(0, random.Next(0, 260))
                        .Select(i => (JsonNode)new JsonObject { ["name"] = $"p{i}", ["version"] = RandomValue(random) })]);
                    break;
                case 3:
                    body["labels"] = new JsonObject([.. Enumerable.Range(0, random.Next(0, 60))
                        .Select(i => KeyValuePair.Create($"k{i}{MessageFuzzing.RandomString(random, random.Next(0, 70))}", RandomValue(random)))
                        .DistinctBy(p => p.Key)]);
                    break;
                case 4:
                    body["error"] = new JsonObject { ["message"] = RandomValue(random), ["config_hash"] = RandomValue(random) };
                    break;
                default:
                    body[MessageFuzzing.RandomString(random, 5)] = RandomValue(random);
                    break;
            }
        }
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    private static byte[] Garbage(Random random) => random.Next(5) switch
    {
        0 => Encoding.UTF8.GetBytes("{\"node_id\":"),
        1 => [0xff, 0xfe, 0x7b, 0x7d],
        2 => Encoding.UTF8.GetBytes(new string('[', 2000) + new string(']', 2000)),
        3 => Encoding.UTF8.GetBytes("{\"hostname\":\"a\",\"hostname\":\"b\"}"),
        _ => Encoding.UTF8.GetBytes("{\"hostname\":\"" + new string('x', 1_100_000) + "\"}"),
    };

    private static JsonNode? RandomValue(Random random) => random.Next(8) switch
    {
        0 => null,
        1 => random.Next(2) == 0,
        2 => random.Next(-5, 70000),
        3 => s_strings[random.Next(s_strings.Length)],
        4 => MessageFuzzing.RandomString(random, random.Next(0, 40)),
        5 => new JsonArray(MessageFuzzing.RandomString(random, 3), 1),
        6 => long.MaxValue,
        _ => new JsonObject { ["a"] = 1 },
    };
}
