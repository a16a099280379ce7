using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Core.Import;
using Gatehouse.Testing;

namespace Gatehouse.Core.Tests.Import;

/// <summary>decK sync, planned in memory: which entity the file means, what changes, and what it may not do.</summary>
public sealed class ImportPlannerTests
{
    private static ImportPlan Plan(ExistingEntities existing, string file) => existing.Plan(file);

    private static IReadOnlyList<ImportError> Refusal(ExistingEntities existing, string file) => existing.Refusal(file);

    private static string Ref(JsonObject entity) => EntityIndexes.IdOf(entity);

    [Fact]
    public void Entities_without_ids_are_matched_by_natural_key_and_unchanged_ones_are_left_alone()
    {
        var existing = new ExistingEntities();
        var service = existing.Add(Services.Schema, """{"name":"orders","host":"orders.internal"}""");
        var plugin = existing.Add(Plugins.Schema, $$$"""{"name":"cors","service":{"id":"{{{Ref(service)}}}"},"config":{"max_age":1}}""");
        var pair = TestCertificates.Server();
        var certificate = existing.Add(Certificates.Schema, new JsonObject { ["cert"] = pair.Certificate, ["key"] = pair.Key }.ToJsonString());

        var file = new JsonObject
        {
            ["_format_version"] = "3.0",
            ["services"] = JsonNode.Parse("""[{"name":"orders","host":"orders.internal","plugins":[{"name":"cors","config":{"max_age":2}}]}]"""),
            ["certificates"] = new JsonArray(new JsonObject { ["cert"] = pair.Certificate, ["key"] = pair.Key }),
        };
        var plan = Plan(existing, file.ToJsonString());

        // The plugin is the same one (same name and scope): an update of its config, under its id.
        var change = Assert.Single(plan.Changes);
        Assert.Equal((ImportAction.Update, Ref(plugin)), (change.Action, change.Id));
        Assert.Equal(["config"], change.ChangedFields);
        Assert.Equal(plugin["created_at"]!.GetValue<long>(), change.Entity["created_at"]!.GetValue<long>());
        // The service and the certificate (matched by its content) are unchanged.
        Assert.Equal(2, plan.Unchanged);
        Assert.DoesNotContain(plan.Changes, c => c.Id == Ref(certificate));
    }

    [Fact]
    public void What_the_file_leaves_out_is_deleted_with_what_Kong_cascades_to()
    {
        var existing = new ExistingEntities();
        var upstream = existing.Add(Upstreams.Schema, """{"name":"up"}""");
        existing.Add(Targets.Schema, $$$"""{"target":"10.0.0.1:80","upstream":{"id":"{{{Ref(upstream)}}}"}}""");
        var consumer = existing.Add(Consumers.Schema, """{"username":"alice"}""");
        var group = existing.Add(ConsumerGroups.Schema, """{"name":"gold"}""");
        existing.Add(ConsumerGroups.Membership, $$$"""{"consumer":{"id":"{{{Ref(consumer)}}}"},"consumer_group":{"id":"{{{Ref(group)}}}"}}""");

        var plan = Plan(existing, """{"_format_version":"3.0","consumer_groups":[{"name":"gold"}]}""");
        Assert.Equal(["consumer_group_consumers", "consumers", "targets", "upstreams"],
            plan.Changes.Select(c => (c.Action, c.Schema.Name)).Where(c => c.Action == ImportAction.Delete).Select(c => c.Name).Order());
        Assert.Equal(1, plan.Unchanged);
    }

    [Fact]
    public void With_select_tags_only_tagged_entities_are_managed_and_a_delete_may_not_strand_an_unmanaged_route()
    {
        var existing = new ExistingEntities();
        var ours = existing.Add(Services.Schema, """{"name":"ours","host":"o.internal","tags":["a"]}""");
        existing.Add(Services.Schema, """{"name":"theirs","host":"t.internal","tags":["b"]}""");
        existing.Add(Routes.Schema, $$"""{"name":"their-route","paths":["/t"],"service":{"id":"{{Ref(ours)}}"},"tags":["b"]}""");

        var errors = Refusal(existing, """{"_format_version":"3.0","_info":{"select_tags":["a"]}}""");
        var error = Assert.Single(errors);
        Assert.Equal("(deleted) services/ours", error.Path);
        Assert.Contains("route", error.Errors[0].Message);

        var plan = Plan(existing, """{"_format_version":"3.0","_info":{"select_tags":["a"]},"services":[{"name":"ours","host":"o.internal"}]}""");
        Assert.Empty(plan.Changes);
    }

    [Fact]
    public void References_resolve_in_the_file_first_then_among_unmanaged_entities_and_never_to_a_deleted_one()
    {
        var existing = new ExistingEntities();
        existing.Add(Services.Schema, """{"name":"shared","host":"s.internal","tags":["platform"]}""");
        existing.Add(Services.Schema, """{"name":"doomed","host":"d.internal","tags":["team"]}""");

        var plan = Plan(existing, """
            {"_format_version":"3.0","_info":{"select_tags":["team"]},
             "routes":[{"name":"r","paths":["/r"],"service":"shared"}]}
            """);
        Assert.Contains(plan.Changes, c => c.Action == ImportAction.Create && c.Schema == Routes.Schema);

        var errors = Refusal(existing, """
            {"_format_version":"3.0","_info":{"select_tags":["team"]},
             "routes":[{"name":"r","paths":["/r"],"service":"doomed"}]}
            """);
        Assert.Equal("routes[0]", Assert.Single(errors).Path);
        Assert.Equal("service", errors[0].Errors[0].Path);
    }

    [Fact]
    public void A_reference_by_id_must_name_an_entity_the_import_leaves_in_place()
    {
        var existing = new ExistingEntities();
        var doomed = existing.Add(Services.Schema, """{"name":"doomed","host":"d.internal"}""");

        // The file leaves the service out, so deletes it: the plugin would point at nothing.
        var error = Assert.Single(Refusal(existing, $$$"""{"_format_version":"3.0","plugins":[{"name":"cors","service":{"id":"{{{Ref(doomed)}}}"}}]}"""));
        Assert.Equal("plugins[0]", error.Path);
        Assert.Equal(new FieldError("service", $"the foreign key '{{id=\"{Ref(doomed)}\"}}' does not reference an existing 'services' entity."), Assert.Single(error.Errors));
    }

    [Fact]
    public void Of_two_entities_in_the_file_with_one_unique_value_the_later_is_refused_in_Kongs_words()
    {
        var errors = Refusal(new ExistingEntities(), """
            {"_format_version":"3.0",
             "services":[{"name":"s","host":"h","plugins":[{"name":"cors"}]}],
             "plugins":[{"name":"cors","service":"s"},{"name":"cors","instance_name":"one"},{"name":"cors","instance_name":"one"}]}
            """);
        Assert.Equal(["plugins[0]", "plugins[2]"], errors.Select(e => e.Path));
        Assert.StartsWith("UNIQUE violation detected on '{consumer=null,consumer_group=null,name=\"cors\",route=null,service={id=\"", Assert.Single(errors[0].Errors).Message);
        var cacheKey = new FieldError(null, "UNIQUE violation detected on '{consumer=null,consumer_group=null,name=\"cors\",route=null,service=null}'");
        Assert.Equal([new FieldError("instance_name", "UNIQUE violation detected on '{instance_name=\"one\"}'"), cacheKey], errors[1].Errors);
    }

    [Fact]
    public void A_consumer_in_a_group_from_both_sides_is_one_membership()
    {
        var plan = Plan(new ExistingEntities(), """
            {"_format_version":"3.0",
             "consumers":[{"username":"alice","groups":[{"name":"gold"}]}],
             "consumer_groups":[{"name":"gold","consumers":[{"username":"alice"}]}]}
            """);
        Assert.Single(plan.Changes, c => c.Schema == ConsumerGroups.Membership);
    }

    [Fact]
    public void A_service_plugin_must_share_a_protocol_with_one_of_the_routes_the_file_leaves_the_service()
    {
        const string File = """
            {"_format_version":"3.0",
             "services":[{"name":"s","host":"h","routes":[{"name":"r","protocols":["grpc"],"paths":["/g"]}],
                          "plugins":[{"name":"cors","protocols":["http","https"]}]}]}
            """;
        var error = Assert.Single(Refusal(new ExistingEntities(), File));
        Assert.Equal("services[0].plugins[0]", error.Path);
        Assert.Equal("protocols", error.Errors[0].Path);
        Plan(new ExistingEntities(), File.Replace("\"grpc\"", "\"http\""));
    }

    [Fact]
    public void A_nested_entity_may_not_name_another_parent()
    {
        var errors = Refusal(new ExistingEntities(), """
            {"_format_version":"3.0",
             "services":[{"name":"a","host":"a"},{"name":"b","host":"b","routes":[{"name":"r","paths":["/"],"service":"a"}]}]}
            """);
        Assert.Equal("services[1].routes[0]", Assert.Single(errors).Path);
        Assert.Contains("nested", errors[0].Errors[0].Message);
    }

    [Fact]
    public void Small_imports_are_one_commit_and_moved_names_or_large_ones_are_deletes_then_puts_within_the_row_limit()
    {
        var existing = new ExistingEntities();
        var a = existing.Add(Services.Schema, """{"name":"a","host":"a"}""");
        var b = existing.Add(Services.Schema, """{"name":"b","host":"b"}""");

        var small = ImportBatches.Build(Plan(existing, """{"_format_version":"3.0","services":[{"name":"a","host":"a2"},{"name":"b","host":"b"}]}""").Changes);
        Assert.Single(small);

        var swap = Plan(existing, $$"""
            {"_format_version":"3.0","services":[{"id":"{{Ref(a)}}","name":"b","host":"a"},{"id":"{{Ref(b)}}","name":"a","host":"b"}]}
            """);
        var phases = ImportBatches.Build(swap.Changes);
        Assert.Equal(2, phases.Count);
        Assert.All(phases[0], c => Assert.IsType<EntityChange.Delete>(c));
        Assert.All(phases[1], c => Assert.Null(Assert.IsType<EntityChange.Put>(c).Previous));

        var services = string.Join(',', Enumerable.Range(0, 200).Select(i => $$"""{"name":"s{{i}}","host":"h","routes":[{"name":"r{{i}}","paths":["/{{i}}"]}]}"""));
        var large = ImportBatches.Build(Plan(existing, $$"""{"_format_version":"3.0","services":[{{services}}]}""").Changes);
        Assert.True(large.Count > 5);
        Assert.All(large, batch => Assert.InRange(batch.Sum(ImportBatches.Rows), 1, ImportBatches.MaxRowsPerCommit));
        Assert.Equal(400 + 2, large.Sum(b => b.Count));

        // The journal keeps the batches exactly.
        var read = ImportJournalFormat.Read(ImportJournalFormat.Write(large));
        Assert.Equal(large.Select(b => b.Count), read.Select(b => b.Count));
        Assert.Equal(
            large.SelectMany(b => b).Select(c => c is EntityChange.Put p ? p.Entity.ToJsonString() : ((EntityChange.Delete)c).Entity.ToJsonString()),
            read.SelectMany(b => b).Select(c => c is EntityChange.Put p ? p.Entity.ToJsonString() : ((EntityChange.Delete)c).Entity.ToJsonString()));
    }

    [Fact]
    public void Nested_credentials_are_planned_under_their_consumer_with_the_password_hashed_unless_the_file_says_it_is()
    {
        var existing = new ExistingEntities();
        const string Consumer = "3f2a0b6c-7d1e-4c5b-8a9f-0e1d2c3b4a51";
        var plan = Plan(existing, $$"""
            {"_format_version":"3.0","consumers":[{"id":"{{Consumer}}","username":"alice",
              "basicauth_credentials":[{"username":"alice","password":"open-sesame"}],
              "keyauth_credentials":[{"key":"k","ttl":4102444800}]}]}
            """);
        var basic = plan.Changes.Single(c => c.Schema == ConsumerCredentials.BasicAuth);
        Assert.Equal(ImportAction.Create, basic.Action);
        Assert.Equal(BasicAuthPasswords.Hash(Consumer, "open-sesame"), basic.Entity["password"]!.GetValue<string>());
        Assert.Equal(Consumer, basic.Entity["consumer"]!["id"]!.GetValue<string>());
        // A file's ttl is the expiry itself, as a DB-less Kong reads it.
        Assert.Equal(4102444800, plan.Changes.Single(c => c.Schema == ConsumerCredentials.KeyAuth).Entity["ttl"]!.GetValue<long>());

        foreach (var header in new[] { "\"_transform\":false", "\"_info\":{\"skip_hash_for_basic_auth\":true}" })
        {
            var kept = Plan(existing, $$"""
                {"_format_version":"3.0",{{header}},"consumers":[{"id":"{{Consumer}}","username":"alice",
                  "basicauth_credentials":[{"username":"alice","password":"0123456789abcdef0123456789abcdef01234567"}]}]}
                """);
            Assert.Equal("0123456789abcdef0123456789abcdef01234567",
                kept.Changes.Single(c => c.Schema == ConsumerCredentials.BasicAuth).Entity["password"]!.GetValue<string>());
        }
    }

    [Fact]
    public void An_unchanged_plaintext_password_is_no_change_and_credentials_match_by_their_unique_value()
    {
        var existing = new ExistingEntities();
        var alice = existing.Add(Consumers.Schema, """{"username":"alice"}""");
        existing.Add(ConsumerCredentials.BasicAuth, $$$"""{"username":"alice","password":"open-sesame","consumer":{"id":"{{{Ref(alice)}}}"}}""");
        var key = existing.Add(ConsumerCredentials.KeyAuth, $$$"""{"key":"alice-key","consumer":{"id":"{{{Ref(alice)}}}"}}""");

        var plan = Plan(existing, """
            {"_format_version":"3.0","consumers":[{"username":"alice",
              "basicauth_credentials":[{"username":"alice","password":"open-sesame"}],
              "keyauth_credentials":[{"key":"alice-key","tags":["new"]}]}]}
            """);

        var change = Assert.Single(plan.Changes);
        Assert.Equal((ImportAction.Update, Ref(key)), (change.Action, change.Id));
        Assert.Equal(["tags"], change.ChangedFields);
        // Alice, and her password: the same plaintext hashes to what is stored.
        Assert.Equal(2, plan.Unchanged);
    }

    [Fact]
    public void A_plugin_named_for_a_custom_schema_of_the_control_plane_validates_against_it()
    {
        var existing = new ExistingEntities();
        existing.Add(Gatehouse.Core.Entities.Schemas.CustomPlugins.CustomPluginSchemas.Schema, """
            {"name":"greeter","lua_schema":"return { name = \"greeter\", fields = { { config = { type = \"record\", fields = { { times = { type = \"integer\", default = 1, between = { 1, 10 } } } } } } } }"}
            """);

        var error = Assert.Single(Refusal(existing, """{"_format_version":"3.0","plugins":[{"name":"greeter","config":{"times":11}}]}"""));
        Assert.Contains(error.Errors, e => e.Path == "config.times" && e.Message == "value should be between 1 and 10");

        var plan = Plan(existing, """{"_format_version":"3.0","plugins":[{"name":"greeter","config":{}}]}""");
        var created = Assert.Single(plan.Changes, c => c.Schema.Name == "plugins");
        Assert.Equal(1, created.Entity!["config"]!["times"]!.GetValue<long>());
        // The schemas themselves are no part of a file: an import neither deletes nor plans them.
        Assert.DoesNotContain(plan.Changes, c => c.Schema.Name == "plugin_schemas");
    }
}
