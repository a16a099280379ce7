using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// The shapes of the consumer group answers, property by property. The spec's wrapper
/// (ConsumerGroupInsideWrapper) requires nothing and allows anything, so a bare group validates
/// against it: validation alone cannot tell the wrapper from its absence, these assertions can.
/// </summary>
public sealed class ConsumerGroupAnswerTests(StorageFixture storage) : IAsyncLifetime
{
    private const string Prefix = "/control-planes/{controlPlaneId}/core-entities";

    private RunningApp _app = null!;
    private string _base = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await RunningApp.StartAsync(storage);
        _base = await _app.CreateControlPlaneAsync("group-answers");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonElement> Post(string path, string json, HttpStatusCode expected = HttpStatusCode.Created) =>
        await (await _app.Client.PostJsonAsync(_base + path, json)).ExpectAsync(expected);

    /// <summary>A GET's answer, valid against the spec's operation for <paramref name="template"/>.</summary>
    private async Task<JsonElement> Get(string path, string template, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await (await _app.Client.GetAsync(_base + path, Ct)).ExpectAsync(expected);
        OpenApiAssert.ValidResponse(ReferenceSpecs.ControlPlanesConfig, "GET", Prefix + template, (int)expected, "application/json", body);
        return body;
    }

    private static string[] Properties(JsonElement answer) => [.. answer.EnumerateObject().Select(p => p.Name)];

    private static void AssertComponent(string component, JsonElement value)
    {
        var errors = ReferenceSpecs.ControlPlanesConfig.ValidateComponent(component, value);
        Assert.True(errors.Count == 0, $"{value.GetRawText()} is not a valid {component}: {string.Join("; ", errors)}");
    }

    [Fact]
    public async Task A_group_is_answered_inside_consumer_group_with_its_consumers_unless_list_consumers_is_not_true()
    {
        const string Item = "/consumer_groups/{ConsumerGroupId}";
        var gold = await Post("/consumer_groups", """{"name":"gold","tags":["tier"]}""");
        var alice = await Post("/consumers", """{"username":"alice"}""");
        var bob = await Post("/consumers", """{"username":"bob","custom_id":"b-1"}""");
        await Post("/consumers", """{"username":"outsider"}""");
        await Post("/consumer_groups/gold/consumers", """{"consumer":"alice"}""");
        await Post("/consumers/bob/consumer_groups", """{"group":"gold"}""");

        foreach (var path in new[] { "/consumer_groups/gold", $"/consumer_groups/{gold.GetProperty("id").GetString()}", "/consumer_groups/gold?list_consumers=true" })
        {
            var answer = await Get(path, Item);
            Assert.Equal(["consumer_group", "consumers"], Properties(answer));
            Assert.Equal(gold.GetRawText(), answer.GetProperty("consumer_group").GetRawText());
            AssertComponent("ConsumerGroup", answer.GetProperty("consumer_group"));
            var consumers = answer.GetProperty("consumers").EnumerateArray().ToList();
            Assert.Equal(
                new[] { alice, bob }.Select(c => c.GetRawText()).Order(StringComparer.Ordinal),
                consumers.Select(c => c.GetRawText()).Order(StringComparer.Ordinal));
            consumers.ForEach(consumer => AssertComponent("Consumer", consumer));
        }

        // As in Kong Gateway Enterprise, anything but true leaves the consumers out, and so does a group without any.
        foreach (var path in new[] { "/consumer_groups/gold?list_consumers=false", "/consumer_groups/gold?list_consumers=0" })
        {
            var alone = await Get(path, Item);
            Assert.Equal(["consumer_group"], Properties(alone));
            Assert.Equal(gold.GetRawText(), alone.GetProperty("consumer_group").GetRawText());
        }
        await Post("/consumer_groups", """{"name":"empty"}""");
        Assert.Equal(["consumer_group"], Properties(await Get("/consumer_groups/empty", Item)));

        await (await _app.Client.GetAsync($"{_base}/consumer_groups/ghost", Ct)).ExpectAsync(HttpStatusCode.NotFound);

        // Only the group's own GET is wrapped: what PUT and PATCH answer is the bare group, as the spec says.
        var patched = await (await _app.Client.PatchJsonAsync($"{_base}/consumer_groups/gold", """{"tags":["vip"]}""")).ExpectAsync(HttpStatusCode.OK);
        AssertComponent("ConsumerGroup", patched);
        Assert.Equal("gold", patched.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Memberships_are_answered_in_the_spec_s_shapes_from_either_side()
    {
        var gold = await Post("/consumer_groups", """{"name":"gold"}""");
        var silver = await Post("/consumer_groups", """{"name":"silver"}""");
        var carol = await Post("/consumers", """{"username":"carol"}""");

        var added = await (await _app.Client.PostJsonAsync($"{_base}/consumer_groups/gold/consumers", """{"consumer":"carol"}""")).ExpectAsync(HttpStatusCode.Created);
        OpenApiAssert.ValidResponse(ReferenceSpecs.ControlPlanesConfig, "POST", Prefix + "/consumer_groups/{ConsumerGroupId}/consumers", 201, "application/json", added);
        Assert.Equal(["consumer_group", "consumers"], Properties(added));
        Assert.Equal(gold.GetRawText(), added.GetProperty("consumer_group").GetRawText());
        Assert.Equal([carol.GetRawText()], added.GetProperty("consumers").EnumerateArray().Select(c => c.GetRawText()));

        var joined = await (await _app.Client.PostJsonAsync($"{_base}/consumers/carol/consumer_groups", """{"group":"silver"}""")).ExpectAsync(HttpStatusCode.Created);
        OpenApiAssert.ValidResponse(ReferenceSpecs.ControlPlanesConfig, "POST", Prefix + "/consumers/{ConsumerId}/consumer_groups", 201, "application/json", joined);
        Assert.Equal(["consumer", "consumer_groups"], Properties(joined));
        Assert.Equal(carol.GetRawText(), joined.GetProperty("consumer").GetRawText());
        Assert.Equal([silver.GetRawText()], joined.GetProperty("consumer_groups").EnumerateArray().Select(g => g.GetRawText()));

        // The lists of either side are pages under data.
        var members = await Get("/consumer_groups/gold/consumers", "/consumer_groups/{ConsumerGroupId}/consumers");
        Assert.Equal(["data"], Properties(members));
        Assert.Equal([carol.GetRawText()], members.GetProperty("data").EnumerateArray().Select(c => c.GetRawText()));
        var groups = await Get("/consumers/carol/consumer_groups", "/consumers/{ConsumerId}/consumer_groups");
        Assert.Equal(["data"], Properties(groups));
        Assert.Equal(
            new[] { gold, silver }.Select(g => g.GetRawText()).Order(StringComparer.Ordinal),
            groups.GetProperty("data").EnumerateArray().Select(g => g.GetRawText()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_group_lists_its_first_thousand_consumers_and_the_rest_stay_members()
    {
        const int Members = 1001;
        var names = Enumerable.Range(0, Members).Select(i => $"member-{i:D4}").ToList();
        var file = new JsonObject
        {
            ["_format_version"] = "3.0",
            ["consumers"] = new JsonArray([.. names.Select(name => (JsonNode)new JsonObject { ["username"] = name })]),
            ["consumer_groups"] = new JsonArray(new JsonObject
            {
                ["name"] = "crowd",
                ["consumers"] = new JsonArray([.. names.Select(name => (JsonNode)new JsonObject { ["username"] = name })]),
            }),
        };
        var controlPlane = _base.Split('/')[3];
        using var content = new StringContent(file.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        await (await _app.Client.PutAsync($"/v2/control-planes/{controlPlane}/declarative-config", content, Ct)).ExpectAsync(HttpStatusCode.OK);

        var listed = (await Get("/consumer_groups/crowd", "/consumer_groups/{ConsumerGroupId}")).GetProperty("consumers")
            .EnumerateArray().Select(c => c.GetProperty("username").GetString()!).ToList();
        Assert.Equal(1000, listed.Count);
        Assert.Subset(names.ToHashSet(), listed.ToHashSet());
        Assert.Equal(listed.Count, listed.Distinct().Count());
        // The one left out is no less a member.
        var unlisted = Assert.Single(names.Except(listed));
        var groups = await Get($"/consumers/{unlisted}/consumer_groups", "/consumers/{ConsumerId}/consumer_groups");
        Assert.Equal(["crowd"], groups.GetProperty("data").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
    }
}
