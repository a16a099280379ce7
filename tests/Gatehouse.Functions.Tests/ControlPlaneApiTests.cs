using System.Net;
using System.Text.Json;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests;

public sealed class ControlPlaneApiTests(StorageFixture storage) : IAsyncLifetime
{
    private RunningApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await RunningApp.StartAsync(storage);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private HttpClient Api => _app.Client;

    private async Task<JsonElement> CreateAsync(string json) =>
        await (await Api.PostJsonAsync("/v2/control-planes", json)).ExpectAsync(HttpStatusCode.Created);

    [Fact]
    public async Task Create_returns_the_full_control_plane_with_Konnect_defaults_and_get_returns_the_same()
    {
        var created = await CreateAsync("""{"name":"payments"}""");

        Assert.True(Guid.TryParse(created.GetProperty("id").GetString(), out _));
        Assert.Equal("payments", created.GetProperty("name").GetString());
        Assert.Equal("", created.GetProperty("description").GetString());
        Assert.Empty(created.GetProperty("labels").EnumerateObject());
        var config = created.GetProperty("config");
        Assert.Equal("CLUSTER_TYPE_CONTROL_PLANE", config.GetProperty("cluster_type").GetString());
        Assert.Equal("pinned_client_certs", config.GetProperty("auth_type").GetString());
        Assert.False(config.GetProperty("cloud_gateway").GetBoolean());
        Assert.Empty(config.GetProperty("proxy_urls").EnumerateArray());
        Assert.StartsWith("http://127.0.0.1:", config.GetProperty("control_plane_endpoint").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", created.GetProperty("created_at").GetString());
        Assert.Equal(created.GetProperty("created_at").GetString(), created.GetProperty("updated_at").GetString());

        var read = await (await Api.GetAsync($"/v2/control-planes/{created.GetProperty("id").GetString()}", TestContext.Current.CancellationToken))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(created.GetRawText(), read.GetRawText());
    }

    [Fact]
    public async Task Create_keeps_every_field_given()
    {
        var created = await CreateAsync("""
            {"name":"edge group","description":"all edge gateways","cluster_type":"CLUSTER_TYPE_CONTROL_PLANE_GROUP",
             "auth_type":"pki_client_certs","cloud_gateway":true,
             "proxy_urls":[{"host":"edge.example.com","port":443,"protocol":"https"}],
             "labels":{"env":"prod","team":"platform-1"}}
            """);
        Assert.Equal("all edge gateways", created.GetProperty("description").GetString());
        Assert.Equal("prod", created.GetProperty("labels").GetProperty("env").GetString());
        var config = created.GetProperty("config");
        Assert.Equal("CLUSTER_TYPE_CONTROL_PLANE_GROUP", config.GetProperty("cluster_type").GetString());
        Assert.Equal("pki_client_certs", config.GetProperty("auth_type").GetString());
        Assert.True(config.GetProperty("cloud_gateway").GetBoolean());
        var url = Assert.Single(config.GetProperty("proxy_urls").EnumerateArray());
        Assert.Equal(("edge.example.com", 443, "https"), (url.GetProperty("host").GetString(), url.GetProperty("port").GetInt32(), url.GetProperty("protocol").GetString()));
    }

    [Fact]
    public async Task The_default_control_plane_exists_and_cannot_be_deleted_or_renamed()
    {
        var list = await (await Api.GetAsync("/v2/control-planes?filter[name][eq]=default", TestContext.Current.CancellationToken)).ExpectAsync(HttpStatusCode.OK);
        var id = Assert.Single(list.GetProperty("data").EnumerateArray()).GetProperty("id").GetString();

        var delete = await Api.DeleteAsync($"/v2/control-planes/{id}", TestContext.Current.CancellationToken);
        var problem = await delete.ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("default control plane cannot be deleted", problem.GetProperty("detail").GetString());

        await (await Api.PatchJsonAsync($"/v2/control-planes/{id}", """{"name":"renamed"}""")).ExpectAsync(HttpStatusCode.Conflict);
        await (await Api.PatchJsonAsync($"/v2/control-planes/{id}", """{"description":"still allowed"}""")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_second_control_plane_with_the_same_name_is_a_409()
    {
        await CreateAsync("""{"name":"unique-name"}""");
        var problem = await (await Api.PostJsonAsync("/v2/control-planes", """{"name":"unique-name"}""")).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(409, problem.GetProperty("status").GetInt32());
        Assert.Contains("already exists", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Concurrent_creates_with_one_name_give_exactly_one_201()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Api.PostJsonAsync("/v2/control-planes", """{"name":"racing"}""")));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(11, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var list = await (await Api.GetAsync("/v2/control-planes?filter[name][eq]=racing", TestContext.Current.CancellationToken)).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(list.GetProperty("data").EnumerateArray());
    }

    [Theory]
    [InlineData("""{}""", "name", "required")]
    [InlineData("""{"name":"x"}""", "name", "min_length")]
    [InlineData("""{"name":"   "}""", "name", "required")]
    [InlineData("""{"name":5}""", "name", "is_string")]
    [InlineData("""{"name":"ok","colour":"blue"}""", "colour", "unknown_property")]
    [InlineData("""{"name":"ok","cluster_type":"CLUSTER_TYPE_NOPE"}""", "cluster_type", "enum")]
    [InlineData("""{"name":"ok","auth_type":"password"}""", "auth_type", "enum")]
    [InlineData("""{"name":"ok","cloud_gateway":"yes"}""", "cloud_gateway", "is_boolean")]
    [InlineData("""{"name":"ok","labels":{"kong-env":"x"}}""", "labels.kong-env", "is_label")]
    [InlineData("""{"name":"ok","labels":{"_private":"x"}}""", "labels._private", "is_label")]
    [InlineData("""{"name":"ok","labels":{"env":"has space"}}""", "labels.env", "is_label")]
    [InlineData("""{"name":"ok","labels":{"env":""}}""", "labels.env", "is_label")]
    [InlineData("""{"name":"ok","labels":{"env":7}}""", "labels.env", "is_string")]
    [InlineData("""{"name":"ok","labels":["env"]}""", "labels", "is_object")]
    [InlineData("""{"name":"ok","proxy_urls":[{"host":"a","port":0,"protocol":"https"}]}""", "proxy_urls[0].port", "min")]
    [InlineData("""{"name":"ok","proxy_urls":[{"host":"a","protocol":"https"}]}""", "proxy_urls[0].port", "required")]
    [InlineData("""{"name":"ok","proxy_urls":[{"host":"a","port":1,"protocol":"https","path":"/"}]}""", "proxy_urls[0].path", "unknown_property")]
    [InlineData("""{"name":"ok","proxy_urls":[{"host":"a","port":1.5,"protocol":"https"}]}""", "proxy_urls[0].port", "is_integer")]
    [InlineData("""{"name":"ok","proxy_urls":"a"}""", "proxy_urls", "is_array")]
    [InlineData("""{"name":"ok","proxy_urls":[{"host":"a","port":1,"protocol":"h"},{"host":"a","port":1,"protocol":"h"}]}""", "proxy_urls[1]", "invalid")]
    [InlineData("""[]""", "body", "is_object")]
    [InlineData("""{"name":"a""", "body", "invalid")]
    [InlineData("""{"name":"one","name":"two"}""", "body", "invalid")]
    [InlineData("", "body", "required")]
    public async Task Invalid_creates_are_400s_naming_the_field_and_rule(string body, string field, string rule)
    {
        var parameters = await (await Api.PostJsonAsync("/v2/control-planes", body)).InvalidParametersAsync();
        Assert.Contains(parameters, p => p.Field == field && p.Rule == rule);
    }

    [Fact]
    public async Task Limits_on_lengths_and_counts_are_400s()
    {
        async Task<IReadOnlyList<(string Field, string? Rule, string Reason)>> Refused(object body) =>
            await (await Api.PostJsonAsync("/v2/control-planes", JsonSerializer.Serialize(body))).InvalidParametersAsync();

        Assert.Contains(await Refused(new { name = new string('n', 257) }), p => p is { Field: "name", Rule: "max_length" });
        Assert.Contains(await Refused(new { name = "ok", description = new string('d', 2049) }), p => p is { Field: "description", Rule: "max_length" });
        Assert.Contains(await Refused(new { name = "ok", labels = Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", i => "v") }), p => p is { Field: "labels", Rule: "max_items" });
        Assert.Contains(await Refused(new { name = "ok", labels = new Dictionary<string, string> { [new string('k', 64)] = "v" } }), p => p.Rule == "is_label");
        Assert.Contains(await Refused(new { name = "ok", proxy_urls = Enumerable.Range(1, 6).Select(i => new { host = "h", port = i, protocol = "https" }) }), p => p is { Field: "proxy_urls", Rule: "max_items" });
    }

    [Fact]
    public async Task Nothing_is_written_when_a_create_is_refused()
    {
        await (await Api.PostJsonAsync("/v2/control-planes", """{"name":"half-written","labels":{"kong":"x"}}""")).InvalidParametersAsync();
        var list = await (await Api.GetAsync("/v2/control-planes?filter[name][eq]=half-written", TestContext.Current.CancellationToken)).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(list.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task A_body_over_1_MiB_is_a_413()
    {
        var response = await Api.PostJsonAsync("/v2/control-planes", $$"""{"name":"big","description":"{{new string('d', 1_100_000)}}"}""");
        var problem = await response.ExpectAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Patch_changes_only_what_it_names()
    {
        var created = await CreateAsync("""{"name":"before","description":"keep me","labels":{"env":"dev"}}""");
        var id = created.GetProperty("id").GetString();
        await Task.Delay(5, TestContext.Current.CancellationToken);

        var patched = await (await Api.PatchJsonAsync($"/v2/control-planes/{id}", """{"name":"after","labels":{"env":"prod","tier":"gold"}}""")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("after", patched.GetProperty("name").GetString());
        Assert.Equal("keep me", patched.GetProperty("description").GetString());
        Assert.Equal("""{"env":"prod","tier":"gold"}""", patched.GetProperty("labels").GetRawText());
        Assert.Equal(created.GetProperty("created_at").GetString(), patched.GetProperty("created_at").GetString());
        Assert.NotEqual(created.GetProperty("updated_at").GetString(), patched.GetProperty("updated_at").GetString());

        // The old name is free again; the new one is taken.
        await CreateAsync("""{"name":"before"}""");
        await (await Api.PostJsonAsync("/v2/control-planes", """{"name":"after"}""")).ExpectAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Patch_refuses_what_cannot_change_and_renames_onto_taken_names()
    {
        var id = (await CreateAsync("""{"name":"patch-me"}""")).GetProperty("id").GetString();
        await CreateAsync("""{"name":"taken"}""");

        var parameters = await (await Api.PatchJsonAsync($"/v2/control-planes/{id}", """{"cluster_type":"CLUSTER_TYPE_CONTROL_PLANE_GROUP"}""")).InvalidParametersAsync();
        Assert.Contains(parameters, p => p is { Field: "cluster_type", Rule: "unknown_property" });
        await (await Api.PatchJsonAsync($"/v2/control-planes/{id}", """{"name":"taken"}""")).ExpectAsync(HttpStatusCode.Conflict);

        var unchanged = await (await Api.GetAsync($"/v2/control-planes/{id}", TestContext.Current.CancellationToken)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("patch-me", unchanged.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Concurrent_patches_of_different_fields_all_land()
    {
        var id = (await CreateAsync("""{"name":"busy"}""")).GetProperty("id").GetString();
        var patches = new[]
        {
            """{"description":"described"}""",
            """{"auth_type":"pki_client_certs"}""",
            """{"labels":{"env":"prod"}}""",
            """{"proxy_urls":[{"host":"p.example.com","port":443,"protocol":"https"}]}""",
        };
        var responses = await Task.WhenAll(patches.Select(p => Api.PatchJsonAsync($"/v2/control-planes/{id}", p)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var final = await (await Api.GetAsync($"/v2/control-planes/{id}", TestContext.Current.CancellationToken)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("described", final.GetProperty("description").GetString());
        Assert.Equal("pki_client_certs", final.GetProperty("config").GetProperty("auth_type").GetString());
        Assert.Equal("prod", final.GetProperty("labels").GetProperty("env").GetString());
        Assert.Single(final.GetProperty("config").GetProperty("proxy_urls").EnumerateArray());
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Unknown_and_malformed_ids_are_404_and_400(string method)
    {
        var ct = TestContext.Current.CancellationToken;
        HttpRequestMessage Request(string id) => new(new HttpMethod(method), $"/v2/control-planes/{id}")
        {
            Content = method == "PATCH" ? new StringContent("""{"description":"x"}""", System.Text.Encoding.UTF8, "application/json") : null,
        };

        var missing = await (await Api.SendAsync(Request(Guid.NewGuid().ToString()), ct)).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Contains("not found", missing.GetProperty("detail").GetString());

        var parameters = await (await Api.SendAsync(Request("not-a-uuid"), ct)).InvalidParametersAsync();
        Assert.Contains(parameters, p => p is { Field: "controlPlaneId", Rule: "is_uuid" });
    }

    [Fact]
    public async Task List_pages_filters_and_sorts_with_Konnect_meta()
    {
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 5; i++)
        {
            var parity = i % 2 == 0 ? "even" : "odd";
            await CreateAsync($$$"""{"name":"listed-{{{i}}}","labels":{"parity":"{{{parity}}}"}}""");
        }

        var names = new List<string>();
        for (var number = 1; number <= 3; number++)
        {
            var page = await (await Api.GetAsync($"/v2/control-planes?filter[name][contains]=listed-&sort=name&page[size]=2&page[number]={number}", ct))
                .ExpectAsync(HttpStatusCode.OK);
            var meta = page.GetProperty("meta").GetProperty("page");
            Assert.Equal((number, 2, 5), (meta.GetProperty("number").GetInt32(), meta.GetProperty("size").GetInt32(), meta.GetProperty("total").GetInt32()));
            names.AddRange(page.GetProperty("data").EnumerateArray().Select(cp => cp.GetProperty("name").GetString()!));
        }
        Assert.Equal(["listed-0", "listed-1", "listed-2", "listed-3", "listed-4"], names);

        var odd = await (await Api.GetAsync("/v2/control-planes?labels=parity:odd&sort=created_at%20desc", ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["listed-3", "listed-1"], odd.GetProperty("data").EnumerateArray().Select(cp => cp.GetProperty("name").GetString()));

        var parameters = await (await Api.GetAsync("/v2/control-planes?page[size]=1000", ct)).InvalidParametersAsync();
        Assert.Contains(parameters, p => p is { Field: "page[size]", Rule: "max" });
    }

    [Fact]
    public async Task Delete_removes_the_control_plane_and_frees_its_name()
    {
        var id = (await CreateAsync("""{"name":"short-lived"}""")).GetProperty("id").GetString();
        await (await Api.DeleteAsync($"/v2/control-planes/{id}", TestContext.Current.CancellationToken)).ExpectAsync(HttpStatusCode.NoContent);
        await (await Api.GetAsync($"/v2/control-planes/{id}", TestContext.Current.CancellationToken)).ExpectAsync(HttpStatusCode.NotFound);
        await (await Api.DeleteAsync($"/v2/control-planes/{id}", TestContext.Current.CancellationToken)).ExpectAsync(HttpStatusCode.NotFound);
        await CreateAsync("""{"name":"short-lived"}""");
    }

    [Fact]
    public async Task Requests_without_the_admin_token_are_401_and_change_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var anonymous = await _app.Anonymous.PostJsonAsync("/v2/control-planes", """{"name":"sneaky"}""");
        var problem = await anonymous.ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("A valid token is required", problem.GetProperty("detail").GetString());
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.ToString());

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/v2/control-planes");
        wrong.Headers.Authorization = new("Bearer", RunningApp.AdminToken + "x");
        await (await _app.Anonymous.SendAsync(wrong, ct)).ExpectAsync(HttpStatusCode.Unauthorized);

        using var basic = new HttpRequestMessage(HttpMethod.Get, "/v2/control-planes");
        basic.Headers.Authorization = new("Basic", RunningApp.AdminToken);
        await (await _app.Anonymous.SendAsync(basic, ct)).ExpectAsync(HttpStatusCode.Unauthorized);

        var list = await (await Api.GetAsync("/v2/control-planes?filter[name][eq]=sneaky", ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(list.GetProperty("data").EnumerateArray());
    }
}
