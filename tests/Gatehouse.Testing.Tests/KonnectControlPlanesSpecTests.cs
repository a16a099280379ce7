using System.Text.Json.Nodes;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Testing.Tests;

/// <summary>Bodies checked against the real Konnect Control Planes v2 spec (OpenAPI 3.0).</summary>
public sealed class KonnectControlPlanesSpecTests
{
    private const string ControlPlane = "/control-planes/{controlPlaneId}";

    private static JsonObject ValidControlPlane() => JsonNode.Parse("""
        {
          "id": "7f9fd312-a987-4628-b4c5-bb4f4fddd5f7",
          "name": "Gatehouse test",
          "description": "A control plane for tests.",
          "labels": {"env": "test", "team.name": "edge_1"},
          "config": {
            "control_plane_endpoint": "https://7f9fd312a9.cp.gatehouse.example",
            "telemetry_endpoint": "https://7f9fd312a9.tp.gatehouse.example",
            "cluster_type": "CLUSTER_TYPE_CONTROL_PLANE",
            "auth_type": "pinned_client_certs",
            "cloud_gateway": false,
            "proxy_urls": [{"host": "proxy.example", "port": 443, "protocol": "https"}]
          },
          "created_at": "2026-11-21T10:00:00.123Z",
          "updated_at": "2026-11-21T10:00:00Z"
        }
        """)!.AsObject();

    [Fact]
    public void A_control_plane_as_the_spec_describes_it_passes() =>
        OpenApiAssert.ValidResponse(ReferenceSpecs.ControlPlanes, "GET", ControlPlane, 200, "application/json", Body(ValidControlPlane()));

    [Fact]
    public void A_wrong_cluster_type_is_named()
    {
        var body = ValidControlPlane();
        body["config"]!["cluster_type"] = "CLUSTER_TYPE_HYBRID";
        Assert.Equal("$.config.cluster_type", Assert.Single(Errors(body)).Path);
    }

    [Fact]
    public void A_missing_name_is_named()
    {
        var body = ValidControlPlane();
        body.Remove("name");
        var error = Assert.Single(Errors(body));
        Assert.Equal("$.name", error.Path);
        Assert.Equal("#/components/schemas/ControlPlane/required", error.SchemaPath);
    }

    [Fact]
    public void A_property_the_spec_does_not_declare_is_named()
    {
        var body = ValidControlPlane();
        body["owner"] = "someone";
        body["config"]!["region"] = "eu";
        Assert.Equal(["$.config.region", "$.owner"], Json.Paths(Errors(body)).Order());
    }

    [Theory]
    [InlineData("2026-11-21 10:00:00")]
    [InlineData("21/11/2026")]
    [InlineData("1763719200")]
    public void A_created_at_that_is_not_an_RFC_3339_date_time_is_named(string createdAt)
    {
        var body = ValidControlPlane();
        body["created_at"] = createdAt;
        Assert.Equal("$.created_at", Assert.Single(Errors(body)).Path);
    }

    [Fact]
    public void Labels_that_break_the_label_pattern_or_length_are_named()
    {
        var body = ValidControlPlane();
        body["labels"] = new JsonObject { ["ok"] = "fine", ["bad"] = "-leading-dash", ["long"] = new string('a', 64), ["number"] = 1 };
        Assert.Equal(["$.labels.bad", "$.labels.long", "$.labels.number"], Json.Paths(Errors(body)).Order());
    }

    [Fact]
    public void More_than_five_proxy_urls_or_a_port_of_zero_are_named()
    {
        var body = ValidControlPlane();
        var proxy = new JsonObject { ["host"] = "p.example", ["port"] = 443, ["protocol"] = "https" };
        body["config"]!["proxy_urls"] = new JsonArray([.. Enumerable.Range(0, 6).Select(_ => proxy.DeepClone())]);
        body["config"]!["proxy_urls"]![5]!["port"] = 0;
        Assert.Equal(["$.config.proxy_urls", "$.config.proxy_urls[5].port"], Json.Paths(Errors(body)).Order());
    }

    [Fact]
    public void A_null_where_the_spec_says_nullable_false_is_named()
    {
        var body = ValidControlPlane();
        body["description"] = null;
        Assert.Equal("$.description", Assert.Single(Errors(body)).Path);
    }

    [Fact]
    public void A_list_of_control_planes_passes_and_an_error_in_one_is_named_by_its_index()
    {
        var list = new JsonObject
        {
            ["data"] = new JsonArray(ValidControlPlane(), ValidControlPlane()),
            ["meta"] = new JsonObject { ["page"] = new JsonObject { ["number"] = 1, ["size"] = 10, ["total"] = 2 } },
        };
        OpenApiAssert.ValidResponse(ReferenceSpecs.ControlPlanes, "GET", "/control-planes", 200, "application/json", Body(list));

        list["data"]![1]!["config"]!["auth_type"] = "basic";
        list["meta"]!["page"]!["total"] = 2.5;
        Assert.Equal(
            ["$.data[1].config.auth_type", "$.meta.page.total", "$.meta.page.total"], // not an integer, nor an int32
            Json.Paths(ReferenceSpecs.ControlPlanes.ValidateResponse("GET", "/control-planes", 200, "application/json", Body(list))));
    }

    [Theory]
    [InlineData("GET", ControlPlane, 404, "Not Found")]
    [InlineData("POST", "/control-planes", 409, "Conflict")]
    public void A_problem_body_passes_the_error_schema(string method, string path, int status, string title)
    {
        var problem = Body(new JsonObject
        {
            ["status"] = status,
            ["title"] = title,
            ["type"] = $"https://httpstatuses.com/{status}",
            ["instance"] = "gatehouse:trace:0123456789",
            ["detail"] = "The control plane was not found.",
        });
        OpenApiAssert.ValidResponse(ReferenceSpecs.ControlPlanes, method, path, status, "application/problem+json", problem);
    }

    [Fact]
    public void A_problem_body_with_a_string_status_and_no_detail_fails()
    {
        var problem = Body(new JsonObject { ["status"] = "404", ["title"] = "Not Found", ["instance"] = "gatehouse:trace:1" });
        Assert.Equal(
            ["$.status", "$.detail"],
            Json.Paths(ReferenceSpecs.ControlPlanes.ValidateResponse("GET", ControlPlane, 404, "application/problem+json", problem)));
    }

    [Fact]
    public void A_bad_request_needs_its_invalid_parameters()
    {
        var badRequest = new JsonObject
        {
            ["status"] = 400,
            ["title"] = "Bad Request",
            ["instance"] = "gatehouse:trace:1",
            ["detail"] = "Invalid request",
            ["invalid_parameters"] = new JsonArray(new JsonObject { ["field"] = "name", ["rule"] = "required", ["reason"] = "is a required field", ["source"] = "body" }),
        };
        OpenApiAssert.ValidResponse(ReferenceSpecs.ControlPlanes, "POST", "/control-planes", 400, "application/problem+json", Body(badRequest));

        badRequest["invalid_parameters"] = new JsonArray();
        Assert.Equal(
            "$.invalid_parameters",
            Assert.Single(ReferenceSpecs.ControlPlanes.ValidateResponse("POST", "/control-planes", 400, "application/problem+json", Body(badRequest))).Path);
    }

    private static IReadOnlyList<SchemaError> Errors(JsonObject body) =>
        ReferenceSpecs.ControlPlanes.ValidateResponse("GET", ControlPlane, 200, "application/json", Body(body));

    private static System.Text.Json.JsonElement Body(JsonNode body) => Json.Parse(body.ToJsonString());
}
