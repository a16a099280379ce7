using System.Text.Json;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Testing.Tests;

/// <summary>Bodies checked against the real Konnect Control Planes Configuration v2 spec (OpenAPI 3.1, with 3.0's nullable).</summary>
public sealed class KonnectConfigSpecTests
{
    // As the spec writes it: relative to the server URL, which ends in /v2.
    private const string Service = "/control-planes/{controlPlaneId}/core-entities/services/{ServiceId}";

    private const string ValidService = """
        {
          "id": "49fd316e-c457-481c-9fc7-8079153e4f3c",
          "name": "example-service",
          "host": "example.internal",
          "port": 80,
          "protocol": "http",
          "path": "/",
          "retries": 5,
          "connect_timeout": 60000,
          "read_timeout": 60000,
          "write_timeout": 60000,
          "enabled": true,
          "tags": ["a", "b"],
          "ca_certificates": null,
          "client_certificate": null,
          "tls_verify": null,
          "tls_verify_depth": null,
          "created_at": 1763719200,
          "updated_at": 1763719200
        }
        """;

    [Fact]
    public void A_service_as_the_spec_describes_it_passes() =>
        OpenApiAssert.ValidResponse(ReferenceSpecs.ControlPlanesConfig, "GET", Service, 200, "application/json", Json.Parse(ValidService));

    [Fact]
    public void A_port_written_as_a_string_is_named()
    {
        var error = Assert.Single(Errors(ValidService.Replace("\"port\": 80", "\"port\": \"80\"", StringComparison.Ordinal)));
        Assert.Equal("$.port", error.Path);
        Assert.Equal("#/components/schemas/Service/properties/port/type", error.SchemaPath);
    }

    [Theory]
    [InlineData("\"port\": 80", "\"port\": 65536", "$.port")]
    [InlineData("\"protocol\": \"http\"", "\"protocol\": \"ftp\"", "$.protocol")]
    [InlineData("\"host\": \"example.internal\",", "", "$.host")]
    [InlineData("\"retries\": 5", "\"retries\": 5.5", "$.retries")]
    [InlineData("\"tags\": [\"a\", \"b\"]", "\"tags\": [\"a\", 1]", "$.tags[1]")]
    [InlineData("\"name\": \"example-service\",", "\"name\": \"example-service\", \"created\": 1,", "$.created")]
    public void A_service_that_breaks_the_spec_is_named(string valid, string invalid, string path) =>
        Assert.Equal(path, Assert.Single(Errors(ValidService.Replace(valid, invalid, StringComparison.Ordinal))).Path);

    [Fact]
    public void A_list_of_services_passes() =>
        OpenApiAssert.ValidResponse(
            ReferenceSpecs.ControlPlanesConfig, "GET", "/control-planes/{controlPlaneId}/core-entities/services", 200, "application/json",
            Json.Parse($$"""{"data":[{{ValidService}}],"offset":"b2Zmc2V0","next":"/v2/control-planes/x/core-entities/services?offset=b2Zmc2V0"}"""));

    // Kong's Admin API ends a list with "next": null, but the spec's next and offset are strings
    // that are not nullable: a Konnect-compatible last page leaves them out.
    [Fact]
    public void A_last_page_must_leave_next_and_offset_out_rather_than_null_them()
    {
        const string services = "/control-planes/{controlPlaneId}/core-entities/services";
        OpenApiAssert.ValidResponse(ReferenceSpecs.ControlPlanesConfig, "GET", services, 200, "application/json", Json.Parse("""{"data":[]}"""));
        Assert.Equal(
            ["$.next", "$.offset"],
            Json.Paths(ReferenceSpecs.ControlPlanesConfig.ValidateResponse("GET", services, 200, "application/json", Json.Parse("""{"data":[],"next":null,"offset":null}"""))).Order());
    }

    [Fact]
    public void An_unauthorized_body_passes_the_gateway_error_schema() =>
        OpenApiAssert.ValidResponse(
            ReferenceSpecs.ControlPlanesConfig, "GET", Service, 401, "application/json", Json.Parse("""{"message":"Unauthorized","status":401}"""));

    [Fact]
    public void The_404_of_a_service_declares_no_body() =>
        Assert.Throws<KeyNotFoundException>(() => ReferenceSpecs.ControlPlanesConfig.ResponseSchemaPointer("GET", Service, 404, "application/json"));

    [Fact]
    public void The_path_with_the_v2_prefix_is_refused_with_the_spec_path_suggested() =>
        Assert.Contains(
            Service,
            Assert.Throws<KeyNotFoundException>(() => ReferenceSpecs.ControlPlanesConfig.Operation("GET", "/v2" + Service)).Message,
            StringComparison.Ordinal);

    private static IReadOnlyList<SchemaError> Errors(string body) =>
        ReferenceSpecs.ControlPlanesConfig.ValidateResponse("GET", Service, 200, "application/json", JsonDocument.Parse(body).RootElement);
}
