using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Testing.Tests;

/// <summary>Kong's declarative config checked against its JSON Schema (draft 4), the document as a whole.</summary>
public sealed class KongDeclarativeConfigTests
{
    [Fact]
    public void A_minimal_config_passes() =>
        OpenApiAssert.Valid(
            ReferenceSpecs.KongDeclarativeConfig,
            Json.Parse("""{"_format_version":"3.0","services":[{"name":"s","host":"example.com"}]}"""));

    [Fact]
    public void A_config_with_routes_plugins_and_upstreams_passes() =>
        OpenApiAssert.Valid(
            ReferenceSpecs.KongDeclarativeConfig,
            Json.Parse("""
                {
                  "_format_version": "3.0",
                  "_transform": true,
                  "services": [{
                    "name": "s", "host": "upstream.internal", "port": 8080, "protocol": "http", "tags": ["gatehouse"],
                    "routes": [{"name": "r", "paths": ["/s"], "strip_path": true}],
                    "plugins": [{"name": "rate-limiting", "config": {"minute": 5, "policy": "local"}}]
                  }],
                  "upstreams": [{"name": "upstream.internal", "targets": [{"target": "10.0.0.1:8080", "weight": 100}]}],
                  "consumers": [{"username": "alice"}]
                }
                """));

    [Fact]
    public void A_service_with_a_string_port_and_no_name_or_id_fails_at_both()
    {
        var errors = ReferenceSpecs.KongDeclarativeConfig.Validate(Json.Parse("""{"services":[{"port":"x"}]}"""));
        Assert.Equal(["$.services[0]", "$.services[0].port"], Json.Paths(errors).Order());
        Assert.Contains(errors, error => error.Path == "$.services[0].port" && error.SchemaPath == "#/definitions/FService/properties/port/type");
        Assert.Contains(errors, error => error.Path == "$.services[0]" && error.Reason.StartsWith("matches none of the 2 anyOf schemas", StringComparison.Ordinal));
    }

    [Fact]
    public void A_top_level_key_the_schema_does_not_know_fails() =>
        Assert.Equal(
            "$.servics",
            Assert.Single(ReferenceSpecs.KongDeclarativeConfig.Validate(Json.Parse("""{"_format_version":"3.0","servics":[]}"""))).Path);

    // FFilter's config is oneOf array/boolean/integer/number/null/object/string: an integer is both
    // an integer and a number, so under draft 4's rules no integer can pass.
    [Fact]
    public void An_integer_filter_config_matches_two_branches_of_the_schemas_oneOf()
    {
        var errors = ReferenceSpecs.KongDeclarativeConfig.Validate("#/definitions/FFilter", Json.Parse("""{"name":"f","config":5}"""));
        Assert.Equal("matches 2 of the oneOf schemas ([2], [3]), where exactly one must match", Assert.Single(errors).Reason);
        Assert.Empty(ReferenceSpecs.KongDeclarativeConfig.Validate("#/definitions/FFilter", Json.Parse("""{"name":"f","config":5.5}""")));
    }
}
