using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using static Gatehouse.Core.Tests.Entities.EntityAssert;

namespace Gatehouse.Core.Tests.Entities;

public sealed class RouteSchemaTests
{
    [Fact]
    public void A_minimal_route_gets_Kongs_defaults()
    {
        var route = Valid(Routes.Schema, """{"paths":["/x"]}""");
        route.Remove("id");
        Assert.Equal(
            """{"created_at":1795262400,"updated_at":1795262400,"name":null,"protocols":["http","https"],"methods":null,"hosts":null,"paths":["/x"],"headers":null,"https_redirect_status_code":426,"regex_priority":0,"strip_path":true,"path_handling":"v0","preserve_host":false,"request_buffering":true,"response_buffering":true,"snis":null,"sources":null,"destinations":null,"tags":null,"service":null}""",
            route.ToJsonString());
    }

    [Theory]
    [InlineData("""{}""", null, "must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'")]
    [InlineData("""{"protocols":["http"]}""", null, "must set one of 'methods', 'hosts', 'headers', 'paths' when 'protocols' is 'http'")]
    [InlineData("""{"protocols":["tcp"]}""", null, "must set one of 'sources', 'destinations', 'snis' when 'protocols' is 'tcp', 'tls' or 'udp'")]
    [InlineData("""{"protocols":["tls_passthrough"]}""", null, "must set snis when 'protocols' is 'tls_passthrough'")]
    [InlineData("""{"protocols":["grpc"]}""", null, "must set one of 'hosts', 'headers', 'paths' when 'protocols' is 'grpc'")]
    [InlineData("""{"protocols":["http","tcp"],"paths":["/"]}""", "protocols", "these sets are mutually exclusive: ('http'), ('tcp')")]
    [InlineData("""{"protocols":[],"paths":["/"]}""", "protocols", "length must be at least 1")]
    [InlineData("""{"protocols":["tcp"],"paths":["/"],"sources":[{"ip":"10.0.0.0/8"}]}""", "paths", "cannot set 'paths' when 'protocols' is 'tcp', 'tls', 'tls_passthrough' or 'udp'")]
    [InlineData("""{"paths":["/"],"sources":[{"port":1}]}""", "sources", "cannot set 'sources' when 'protocols' is 'http' or 'https'")]
    [InlineData("""{"protocols":["grpc"],"paths":["/"],"strip_path":true}""", "strip_path", "cannot set 'strip_path' when 'protocols' is 'grpc' or 'grpcs'")]
    [InlineData("""{"protocols":["grpc"],"paths":["/"],"methods":["GET"]}""", "methods", "cannot set 'methods' when 'protocols' is 'grpc' or 'grpcs'")]
    [InlineData("""{"protocols":["http"],"snis":["a.example.com"],"paths":["/"]}""", null, "'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls', 'tls_passthrough', or 'wss'")]
    [InlineData("""{"paths":["x"]}""", "paths[0]", "should start with: / (fixed path) or ~/ (regex path)")]
    [InlineData("""{"paths":["/a//b"]}""", "paths[0]", "must not have empty segments")]
    [InlineData("""{"paths":["/foo/../bar"]}""", "paths[0]", "non-normalized path, consider use '/bar' instead")]
    [InlineData("""{"paths":["/%7euser"]}""", "paths[0]", "non-normalized path, consider use '/~user' instead")]
    [InlineData("""{"paths":["/a%2fb"]}""", "paths[0]", "non-normalized path, consider use '/a%2Fb' instead")]
    [InlineData("""{"paths":["/bad%zz"]}""", "paths[0]", "invalid url-encoded value: '%zz'")]
    [InlineData("""{"methods":["get"]}""", "methods[0]", "invalid value: get")]
    [InlineData("""{"hosts":["*.a.*"]}""", "hosts[0]", "invalid wildcard: must have at most one wildcard")]
    [InlineData("""{"hosts":["a.*.com"]}""", "hosts[0]", "invalid wildcard: must be placed at leftmost or rightmost label")]
    [InlineData("""{"hosts":["bad host"]}""", "hosts[0]", "invalid hostname: bad host")]
    [InlineData("""{"headers":{"Host":["a"]}}""", "headers", "cannot contain 'host' header, which must be specified in the 'hosts' attribute")]
    [InlineData("""{"headers":{"x-ok":"a"}}""", "headers", "expected an array")]
    [InlineData("""{"paths":["/"],"https_redirect_status_code":200}""", "https_redirect_status_code", "expected one of: 426, 301, 302, 307, 308")]
    [InlineData("""{"paths":["/"],"path_handling":"v2"}""", "path_handling", "expected one of: v0, v1")]
    [InlineData("""{"protocols":["tcp"],"sources":[{}]}""", "sources[0]", "at least one of these fields must be non-empty: 'ip', 'port'")]
    [InlineData("""{"protocols":["tcp"],"sources":[{"ip":"10.0.0.0/33"}]}""", "sources[0].ip", "invalid ip or cidr range: '10.0.0.0/33'")]
    [InlineData("""{"protocols":["tls"],"snis":["*.a.*"]}""", "snis[0]", "only one wildcard must be specified")]
    [InlineData("""{"protocols":["tls"],"snis":["1.2.3.4"]}""", "snis[0]", "must not be an IP")]
    [InlineData("""{"paths":["/"],"service":{"name":"x"}}""", "service.id", "missing primary key")]
    public void Invalid_routes_name_the_field_with_Kongs_message(string json, string? path, string message) =>
        HasError(Invalid(Routes.Schema, json), path, message);

    [Theory]
    [InlineData("""{"paths":["~/users/(?<id>\\d+)$"]}""")]
    [InlineData("""{"hosts":["*.example.com","example.*","api.example.com:8443"]}""")]
    [InlineData("""{"protocols":["tcp","tls"],"destinations":[{"ip":"10.1.0.0/16","port":443}],"snis":["db.example.com"]}""")]
    [InlineData("""{"protocols":["grpcs"],"hosts":["grpc.example.com"]}""")]
    [InlineData("""{"headers":{"x-version":["1","2"]}}""")]
    [InlineData("""{"methods":["GET","POST"],"protocols":["https"]}""")]
    public void Valid_routes_pass(string json) => Valid(Routes.Schema, json);

    [Fact]
    public void An_expression_route_has_expression_and_priority_instead_of_matchers()
    {
        var route = Valid(Routes.Schema, """{"name":"expr","expression":"http.path ^= \"/api\"","priority":10}""");
        Assert.Equal("http.path ^= \"/api\"", route["expression"]!.GetValue<string>());
        Assert.Equal(10, route["priority"]!.GetValue<long>());
        Assert.False(route.ContainsKey("paths"));
        Assert.Equal("""["http","https"]""", route["protocols"]!.ToJsonString());

        HasError(Invalid(Routes.Schema, """{"expression":"http.path == \"/\"","paths":["/"]}"""), null,
            "Router Expression failed validation: cannot set 'expression' with 'methods', 'hosts', 'paths', 'headers', 'snis', 'sources' or 'destinations' simultaneously");
        HasError(Invalid(Routes.Schema, """{"expression":"x","priority":-1}"""), "priority", "value should be between 0 and 70368744177663");
        HasError(Invalid(Routes.Schema, """{"expression":""}"""), "expression", "length must be at least 1");

        // PATCH keeps the shape the route has, and can turn it back into a traditional route.
        var patched = Valid(Routes.Schema, """{"priority":5}""", WriteMode.Update, route);
        Assert.Equal(5, patched["priority"]!.GetValue<long>());
        var traditional = Valid(Routes.Schema, """{"expression":null,"priority":null,"paths":["/x"]}""", WriteMode.Update, route);
        Assert.False(traditional.ContainsKey("expression"));
        Assert.Equal("""["/x"]""", traditional["paths"]!.ToJsonString());
    }

    [Fact]
    public void Grpc_routes_default_strip_path_to_false() =>
        Assert.False(Valid(Routes.Schema, """{"protocols":["grpc"],"paths":["/svc"]}""")["strip_path"]!.GetValue<bool>());

    [Fact]
    public void A_broken_regex_path_is_refused() =>
        Assert.StartsWith("invalid regex: '/(unclosed'", Invalid(Routes.Schema, """{"paths":["~/(unclosed"]}""").Single(e => e.Path == "paths[0]").Message);

    [Fact]
    public void Patch_validates_the_merged_route_with_update_wording()
    {
        var stored = Valid(Routes.Schema, """{"paths":["/x"],"protocols":["http"]}""");
        HasError(Invalid(Routes.Schema, """{"paths":null}""", WriteMode.Update, stored), null,
            "must set one of 'methods', 'hosts', 'headers', 'paths' when 'protocols' is 'http'");
    }
}
