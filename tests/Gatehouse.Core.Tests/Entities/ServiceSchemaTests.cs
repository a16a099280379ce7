using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using static Gatehouse.Core.Tests.Entities.EntityAssert;

namespace Gatehouse.Core.Tests.Entities;

public sealed class ServiceSchemaTests
{
    [Fact]
    public void A_minimal_service_gets_Kongs_defaults_and_nulls_in_Kongs_order()
    {
        var service = Valid(Services.Schema, """{"host":"service.test"}""");
        service.Remove("id");
        Assert.Equal(
            """{"created_at":1795262400,"updated_at":1795262400,"name":null,"retries":5,"protocol":"http","host":"service.test","port":80,"path":null,"connect_timeout":60000,"write_timeout":60000,"read_timeout":60000,"tags":null,"client_certificate":null,"tls_verify":null,"tls_verify_depth":null,"ca_certificates":null,"enabled":true}""",
            service.ToJsonString());
    }

    [Fact]
    public void A_given_id_is_kept_lower_cased_and_a_bad_one_refused()
    {
        Assert.Equal("0c5f8d5e-0000-4000-8000-00000000000a",
            Valid(Services.Schema, """{"id":"0C5F8D5E-0000-4000-8000-00000000000A","host":"h"}""")["id"]!.GetValue<string>());
        HasError(Invalid(Services.Schema, """{"id":"nope","host":"h"}"""), "id", "expected a valid UUID");
    }

    [Theory]
    [InlineData("http://example.com", "http", "example.com", 80, null)]
    [InlineData("https://example.com", "https", "example.com", 443, null)]
    [InlineData("https://example.com:8443/api/v1", "https", "example.com", 8443, "/api/v1")]
    [InlineData("http://example.test:443", "http", "example.test", 443, null)]
    [InlineData("grpc://10.0.0.1:9000", "grpc", "10.0.0.1", 9000, null)]
    public void The_url_shorthand_expands_as_Kong_does(string url, string protocol, string host, int port, string? path)
    {
        var service = Valid(Services.Schema, $$"""{"url":"{{url}}"}""");
        Assert.Equal(protocol, service["protocol"]!.GetValue<string>());
        Assert.Equal(host, service["host"]!.GetValue<string>());
        Assert.Equal(port, service["port"]!.GetValue<long>());
        Assert.Equal(path, service["path"]?.GetValue<string>());
        Assert.False(service.ContainsKey("url"));
    }

    [Theory]
    [InlineData("""{}""", "host", "required field missing")]
    [InlineData("""{"host":"h","port":"80"}""", "port", "expected an integer")]
    [InlineData("""{"host":"h","port":70000}""", "port", "value should be between 0 and 65535")]
    [InlineData("""{"host":"h","retries":1.5}""", "retries", "expected an integer")]
    [InlineData("""{"host":"h","protocol":"ftp"}""", "protocol", "expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp, ws, wss")]
    [InlineData("""{"host":"h:80"}""", "host", "must not have a port")]
    [InlineData("""{"host":"bad_host!"}""", "host", "invalid value: bad_host!")]
    [InlineData("""{"host":"h","path":"nope"}""", "path", "should start with: /")]
    [InlineData("""{"host":"h","path":"/a//b"}""", "path", "must not have empty segments")]
    [InlineData("""{"host":"h","path":"/a%zz"}""", "path", "invalid url-encoded value: '%zz'")]
    [InlineData("""{"host":"h","path":"/a b"}""", "path", "invalid path: '/a b' (characters outside of the reserved list of RFC 3986 found)")]
    [InlineData("""{"host":"h","name":"has space"}""", "name", "invalid value 'has space': the only accepted ascii characters are alphanumerics or ., -, _, and ~")]
    [InlineData("""{"host":"h","name":""}""", "name", "length must be at least 1")]
    [InlineData("""{"host":"h","connect_timeout":0}""", "connect_timeout", "value should be between 1 and 2147483646")]
    [InlineData("""{"host":"h","tags":["ok","a,b"]}""", "tags[1]", "invalid tag 'a,b': expected printable ascii (except `,` and `/`) or valid utf-8 sequences")]
    [InlineData("""{"host":"h","tags":"ok"}""", "tags", "expected a set")]
    [InlineData("""{"host":"h","enabled":"yes"}""", "enabled", "expected a boolean")]
    [InlineData("""{"host":"h","enabled":null}""", "enabled", "required field missing")]
    [InlineData("""{"host":"h","colour":"blue"}""", "colour", "unknown field")]
    [InlineData("""{"host":"h","client_certificate":{"id":"x"}}""", "client_certificate.id", "expected a valid UUID")]
    [InlineData("""{"host":"h","ca_certificates":["x"]}""", "ca_certificates[0]", "expected a valid UUID")]
    [InlineData("""{"url":"example.com"}""", "url", "missing scheme in url")]
    public void Invalid_services_name_the_field_with_Kongs_message(string json, string path, string message) =>
        HasError(Invalid(Services.Schema, json), path, message);

    [Fact]
    public void Stream_and_grpc_services_cannot_have_a_path_and_plain_ones_no_tls_settings()
    {
        var grpc = Invalid(Services.Schema, """{"host":"h","protocol":"grpc","path":"/x"}""");
        HasError(grpc, "path", "value must be null");
        HasError(grpc, null, "failed conditional validation given value of field 'protocol'");

        HasError(Invalid(Services.Schema, """{"host":"h","tls_verify":false}"""), "tls_verify", "value must be null");
        Valid(Services.Schema, """{"host":"h","protocol":"https","tls_verify":true,"tls_verify_depth":3}""");
    }

    [Fact]
    public void Patch_merges_into_the_stored_service_and_validates_the_result()
    {
        var stored = Valid(Services.Schema, """{"name":"orders","host":"a.test","retries":3}""");
        var patched = Valid(Services.Schema, """{"port":8080,"tags":["x"]}""", WriteMode.Update, stored);
        Assert.Equal((3L, 8080L, "a.test"), (patched["retries"]!.GetValue<long>(), patched["port"]!.GetValue<long>(), patched["host"]!.GetValue<string>()));
        Assert.Equal(stored["id"]!.GetValue<string>(), patched["id"]!.GetValue<string>());

        HasError(Invalid(Services.Schema, """{"protocol":"tcp","path":"/x"}""", WriteMode.Update, stored), "path", "value must be null");
        HasError(Invalid(Services.Schema, """{"id":"0c5f8d5e-0000-4000-8000-00000000000a"}""", WriteMode.Update, stored), "id", "cannot be changed");
    }

    [Fact]
    public void A_supplied_created_at_is_kept_when_it_is_a_timestamp()
    {
        Assert.Equal(1700000000, Valid(Services.Schema, """{"host":"h","created_at":1700000000}""")["created_at"]!.GetValue<long>());
        HasError(Invalid(Services.Schema, """{"host":"h","created_at":1.5}"""), "created_at", "expected a valid timestamp");
        HasError(Invalid(Services.Schema, """{"host":"h","created_at":-1}"""), "created_at", "expected a valid timestamp");
        HasError(Invalid(Services.Schema, """{"host":"h","created_at":"yesterday"}"""), "created_at", "expected a valid timestamp");
    }

    [Fact]
    public void Explicit_null_is_kept_instead_of_the_default() =>
        Assert.Null(Valid(Services.Schema, """{"host":"h","retries":null}""")["retries"]);

    [Fact]
    public void Integers_given_as_whole_floats_are_stored_as_integers() =>
        Assert.Equal("8080", Valid(Services.Schema, """{"host":"h","port":8080.0}""")["port"]!.ToJsonString());

    [Fact]
    public void Sets_drop_repeats() =>
        Assert.Equal("""["a","b"]""", Valid(Services.Schema, """{"host":"h","tags":["a","b","a"]}""")["tags"]!.ToJsonString());
}
