using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Core.Import;
using Gatehouse.Testing;

namespace Gatehouse.Core.Tests.Import;

/// <summary>
/// decK's file format beyond Kong's own (go-database-reconciler pkg/file/types.go): membership
/// references by several keys, <c>_info.default_lookup_tags</c> and <c>defaults</c>,
/// <c>_plugin_configs</c>, vault references in every referenceable field, and the sections that
/// belong to Kong Enterprise or later Kong versions, refused by name.
/// </summary>
public sealed class DeckFileFormatTests
{
    private static string Ref(JsonObject entity) => EntityIndexes.IdOf(entity);

    private static string Messages(IReadOnlyList<ImportError> errors) =>
        string.Join("\n", errors.SelectMany(e => e.Errors.Select(f => $"{e.Path}: {f.Path}: {f.Message}")));

    [Fact]
    public void A_consumers_groups_may_be_id_and_name_objects_as_deck_dumps_them_and_must_agree()
    {
        const string GroupId = "5b1c1a6e-8a38-4a7e-9d32-0c7f1b2f0a11";
        var plan = new ExistingEntities().Plan($$"""
            {"_format_version":"3.0",
             "consumer_groups":[{"id":"{{GroupId}}","name":"gold"},{"name":"silver"}],
             "consumers":[{"username":"alice","groups":[{"id":"{{GroupId}}","name":"gold"}]},{"username":"bob","groups":[{"name":"silver"}]}]}
            """);
        var memberships = plan.Changes.Where(c => c.Schema == ConsumerGroups.Membership).ToList();
        Assert.Equal(2, memberships.Count);
        Assert.Contains(memberships, m => m.Entity["consumer_group"]!["id"]!.GetValue<string>() == GroupId);

        var errors = new ExistingEntities().Refusal($$"""
            {"_format_version":"3.0",
             "consumer_groups":[{"id":"{{GroupId}}","name":"gold"},{"name":"silver"}],
             "consumers":[{"username":"alice","groups":[{"id":"{{GroupId}}","name":"silver"}]}]}
            """);
        var error = Assert.Single(errors);
        Assert.Equal("consumers[0].groups[0]", error.Path);
        Assert.Contains($"id '{GroupId}' and name 'silver' name different consumer groups", Messages(errors));
    }

    [Theory]
    [InlineData("""{"username":"alice"}""")]
    [InlineData("""{"custom_id":"c-alice"}""")]
    [InlineData("""{"username":"alice","custom_id":"c-alice"}""")]
    [InlineData("""{"id":"0f9b0c43-0b2a-4d3b-9a57-3f1f7f8f1a01","username":"alice"}""")]
    public void A_groups_consumers_are_named_by_username_custom_id_or_id(string member)
    {
        var existing = new ExistingEntities();
        var alice = existing.Add(Consumers.Schema, """{"id":"0f9b0c43-0b2a-4d3b-9a57-3f1f7f8f1a01","username":"alice","custom_id":"c-alice"}""");
        var plan = existing.Plan($$"""
            {"_format_version":"3.0","consumers":[{"username":"alice","custom_id":"c-alice"}],
             "consumer_groups":[{"name":"gold","consumers":[{{member}}]}]}
            """);
        var membership = Assert.Single(plan.Changes, c => c.Schema == ConsumerGroups.Membership);
        Assert.Equal(Ref(alice), membership.Entity["consumer"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public void A_group_member_that_names_nobody_or_two_consumers_is_refused_naming_its_place()
    {
        var errors = new ExistingEntities().Refusal("""
            {"_format_version":"3.0","consumers":[{"username":"alice","custom_id":"c-alice"},{"username":"bob"}],
             "consumer_groups":[{"name":"gold","consumers":[{"username":"carol"},{"username":"bob","custom_id":"c-alice"},{"tags":["x"]}]}]}
            """);
        var text = Messages(errors);
        Assert.Contains("consumer_groups[0].consumers[0]: consumer: the foreign key cannot be resolved with '{username=\"carol\"}'", text);
        Assert.Contains("consumer_groups[0].consumers[1]: consumer: username 'bob' and custom_id 'c-alice' name different consumers", text);
        Assert.Contains("consumer_groups[0].consumers[2]: consumer: expected a reference to a consumer by its id or username", text);
    }

    [Fact]
    public void Default_lookup_tags_say_where_references_outside_the_file_are_found()
    {
        var existing = new ExistingEntities();
        var shared = existing.Add(Consumers.Schema, """{"username":"shared-alice","tags":["shared"]}""");
        existing.Add(Consumers.Schema, """{"username":"stray-bob"}""");
        existing.Add(Services.Schema, """{"name":"billing","host":"billing.internal","tags":["platform"]}""");

        const string Info = """
            "_info":{"select_tags":["team-a"],"default_lookup_tags":{"consumers":["shared"],"services":["platform"]}}
            """;
        var plan = existing.Plan($$$"""
            {"_format_version":"3.0",{{{Info}}},
             "plugins":[{"name":"rate-limiting","consumer":"shared-alice","config":{"minute":5}}],
             "routes":[{"name":"billing-route","paths":["/billing"],"service":{"name":"billing"}}]}
            """);
        var plugin = Assert.Single(plan.Changes, c => c.Schema == Plugins.Schema);
        Assert.Equal(Ref(shared), plugin.Entity["consumer"]!["id"]!.GetValue<string>());
        Assert.Equal(["team-a"], plugin.Entity["tags"]!.AsArray().Select(t => t!.GetValue<string>()));

        var errors = existing.Refusal($$$"""
            {"_format_version":"3.0",{{{Info}}},
             "plugins":[{"name":"rate-limiting","consumer":"stray-bob","config":{"minute":5}}]}
            """);
        var text = Messages(errors);
        Assert.Contains("plugins[0]: consumer: the foreign key cannot be resolved with '{username=\"stray-bob\"}'", text);
        Assert.Contains("tagged shared (_info.default_lookup_tags)", text);
    }

    [Theory]
    [InlineData("""{"default_lookup_tags":{"partials":["x"]}}""", "_info.default_lookup_tags.partials", "Kong Enterprise")]
    [InlineData("""{"default_lookup_tags":{"plugins":["x"]}}""", "_info.default_lookup_tags.plugins", "expected one of consumers, consumer_groups, services, routes")]
    [InlineData("""{"default_lookup_tags":{"consumers":"x"}}""", "_info.default_lookup_tags.consumers", "expected an array of non-empty strings")]
    [InlineData("""{"defaults":{"service":{"name":"x"}}}""", "_info.defaults.service.name", "cannot have a default")]
    [InlineData("""{"defaults":{"route":{"colour":"x"}}}""", "_info.defaults.route.colour", "unknown field")]
    [InlineData("""{"defaults":{"plugin":{}}}""", "_info.defaults.plugin", "expected one of service, route, upstream, target")]
    [InlineData("""{"consumer_group_policy_overrides":true}""", "_info.consumer_group_policy_overrides", "Kong Enterprise")]
    public void Info_fields_decK_has_are_read_and_bad_ones_named(string info, string path, string message)
    {
        var errors = new ExistingEntities().Refusal($$"""{"_format_version":"3.0","_info":{{info}}}""");
        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Errors.Single().Message);
    }

    [Fact]
    public void Info_defaults_fill_what_each_service_route_upstream_and_target_lacks()
    {
        var plan = new ExistingEntities().Plan("""
            {"_format_version":"3.0",
             "_info":{"defaults":{"service":{"retries":3,"read_timeout":1000},"route":{"strip_path":false},"target":{"weight":10}}},
             "services":[{"name":"a","host":"a.internal"},{"name":"b","host":"b.internal","retries":9,"routes":[{"name":"r","paths":["/b"]}]}],
             "upstreams":[{"name":"up","targets":[{"target":"10.0.0.1:80"},{"target":"10.0.0.2:80","weight":200}]}]}
            """);
        JsonObject Entity(string collection, string field, string value) =>
            plan.Changes.Single(c => c.Schema.Name == collection && c.Entity[field]!.GetValue<string>() == value).Entity;

        Assert.Equal((3, 1000), (Entity("services", "name", "a")["retries"]!.GetValue<long>(), Entity("services", "name", "a")["read_timeout"]!.GetValue<long>()));
        Assert.Equal((9, 1000), (Entity("services", "name", "b")["retries"]!.GetValue<long>(), Entity("services", "name", "b")["read_timeout"]!.GetValue<long>()));
        Assert.False(Entity("routes", "name", "r")["strip_path"]!.GetValue<bool>());
        Assert.Equal(10, Entity("targets", "target", "10.0.0.1:80")["weight"]!.GetValue<long>());
        Assert.Equal(200, Entity("targets", "target", "10.0.0.2:80")["weight"]!.GetValue<long>());
    }

    [Fact]
    public void Plugins_take_a_shared_config_from_plugin_configs_under_their_own_which_wins_field_by_field()
    {
        var plan = new ExistingEntities().Plan("""
            {"_format_version":"3.0",
             "_plugin_configs":{"limits":{"minute":10,"hour":100,"policy":"local","error_message":"slow down"}},
             "services":[
               {"name":"a","host":"a.internal","plugins":[{"name":"rate-limiting","_config":"limits"}]},
               {"name":"b","host":"b.internal","plugins":[{"name":"rate-limiting","_config":"limits","config":{"minute":20}}]}]}
            """);
        var configs = plan.Changes.Where(c => c.Schema == Plugins.Schema)
            .Select(c => c.Entity["config"]!)
            .OrderBy(c => c["minute"]!.GetValue<int>())
            .ToList();
        Assert.Equal((10, 100, "slow down"), (configs[0]["minute"]!.GetValue<int>(), configs[0]["hour"]!.GetValue<int>(), configs[0]["error_message"]!.GetValue<string>()));
        Assert.Equal((20, 100, "slow down"), (configs[1]["minute"]!.GetValue<int>(), configs[1]["hour"]!.GetValue<int>(), configs[1]["error_message"]!.GetValue<string>()));
        // Kong's defaults are still filled where neither says.
        Assert.Equal("consumer", configs[1]["limit_by"]!.GetValue<string>());
        Assert.DoesNotContain(plan.Changes, c => c.Entity.ContainsKey("_config"));
    }

    [Fact]
    public void Shared_configs_merge_nested_records_and_a_missing_or_bad_one_is_named()
    {
        var plan = new ExistingEntities().Plan("""
            {"_format_version":"3.0",
             "_plugin_configs":{"otel":{"traces_endpoint":"http://otel.test:4318/v1/traces","propagation":{"default_format":"b3","extract":["w3c"]}}},
             "plugins":[{"name":"opentelemetry","_config":"otel","config":{"propagation":{"default_format":"w3c"}}}]}
            """);
        var propagation = Assert.Single(plan.Changes).Entity["config"]!["propagation"]!;
        Assert.Equal(("w3c", "w3c"), (propagation["default_format"]!.GetValue<string>(), propagation["extract"]![0]!.GetValue<string>()));

        var errors = new ExistingEntities().Refusal("""
            {"_format_version":"3.0","_plugin_configs":{"a":{"minute":1},"b":"not an object"},
             "plugins":[{"name":"rate-limiting","_config":"missing"},{"name":"cors","_config":7}]}
            """);
        var text = Messages(errors);
        Assert.Contains("_plugin_configs.b: : expected an object", text);
        Assert.Contains("plugins[0]._config: : _plugin_configs has no config named 'missing'", text);
        Assert.Contains("plugins[1]._config: : expected the name of one of _plugin_configs", text);
    }

    [Fact]
    public void A_shared_config_is_validated_as_the_plugins_own_would_be()
    {
        var errors = new ExistingEntities().Refusal("""
            {"_format_version":"3.0","_plugin_configs":{"bad":{"minute":"abc"}},
             "plugins":[{"name":"rate-limiting","_config":"bad"}]}
            """);
        Assert.Contains("plugins[0]: config.minute: expected a number", Messages(errors));
    }

    [Fact]
    public void Vault_references_are_kept_in_every_referenceable_field_and_refused_elsewhere()
    {
        var plan = new ExistingEntities().Plan("""
            {"_format_version":"3.0",
             "certificates":[{"cert":"{vault://env/tls-cert}","key":"{vault://env/tls-key}","snis":["api.example.com"]}],
             "key_sets":[{"name":"signing","keys":[{"kid":"k1","jwk":"{vault://env/jwk}"},{"kid":"k2","pem":{"private_key":"{vault://aws/signing/private}"}}]}],
             "plugins":[{"name":"http-log","config":{"http_endpoint":"{vault://env/log-endpoint}","headers":{"Authorization":"{vault://env/log-token}"}}}]}
            """);
        var certificate = Assert.Single(plan.Changes, c => c.Schema == Certificates.Schema).Entity;
        Assert.Equal(("{vault://env/tls-cert}", "{vault://env/tls-key}"), (certificate["cert"]!.GetValue<string>(), certificate["key"]!.GetValue<string>()));
        Assert.Equal(2, plan.Changes.Count(c => c.Schema == Keys.Schema));
        var log = Assert.Single(plan.Changes, c => c.Schema == Plugins.Schema).Entity["config"]!;
        Assert.Equal("{vault://env/log-endpoint}", log["http_endpoint"]!.GetValue<string>());

        var errors = new ExistingEntities().Refusal("""
            {"_format_version":"3.0","services":[{"name":"s","host":"{vault://env/host}"}],
             "ca_certificates":[{"cert":"{vault://env/ca}"}]}
            """);
        var text = Messages(errors);
        Assert.Contains("services[0]: host:", text);
        Assert.Contains("ca_certificates[0]: cert: invalid certificate", text);
    }

    [Fact]
    public void A_certificate_with_one_real_pem_and_one_reference_skips_only_the_checks_that_need_both()
    {
        var pair = TestCertificates.Server();
        var plan = new ExistingEntities().Plan(new JsonObject
        {
            ["_format_version"] = "3.0",
            ["certificates"] = new JsonArray(new JsonObject { ["cert"] = pair.Certificate, ["key"] = "{vault://env/key}" }),
        }.ToJsonString());
        Assert.Single(plan.Changes);

        var errors = new ExistingEntities().Refusal(new JsonObject
        {
            ["_format_version"] = "3.0",
            ["certificates"] = new JsonArray(new JsonObject { ["cert"] = "not a pem", ["key"] = "{vault://env/key}" }),
        }.ToJsonString());
        Assert.Contains("certificates[0]: cert: invalid certificate", Messages(errors));
    }

    [Theory]
    [InlineData("partials", "Kong 3.10")]
    [InlineData("licenses", "Kong Enterprise")]
    [InlineData("rbac_roles", "Kong Enterprise")]
    [InlineData("workspaces", "Kong Enterprise")]
    [InlineData("custom_entities", "degraphql")]
    [InlineData("consumer_group_plugins", "Kong Enterprise")]
    [InlineData("custom_plugins", "plugin-schemas")]
    [InlineData("service_packages", "Dev Portal")]
    public void Sections_of_Kong_Enterprise_or_later_Kong_are_refused_naming_the_section_and_why(string section, string why)
    {
        var errors = new ExistingEntities().Refusal($$"""{"_format_version":"3.0","{{section}}":[{"name":"x"}],"services":[{"name":"s","host":"s.internal"}]}""");
        var error = Assert.Single(errors);
        Assert.Equal(section, error.Path);
        Assert.StartsWith("not supported by Gatehouse: ", error.Errors.Single().Message);
        Assert.Contains(why, error.Errors.Single().Message);
    }
}
