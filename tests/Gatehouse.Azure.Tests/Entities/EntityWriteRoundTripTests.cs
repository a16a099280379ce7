using System.Text.Json.Nodes;
using Gatehouse.Azure.Composition;
using Gatehouse.Azure.ControlPlanes;
using Gatehouse.Azure.Entities;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests.Entities;

/// <summary>
/// Issue #16, item 1: an Admin API write costs as few round trips to the entities table as it can.
/// A unique value is checked by the commit itself, which adds its index row and fails if the row
/// is there, and so is a foreign key's target, which the commit asserts exists; only when the
/// commit fails does a second round read what it found, to answer in Kong's words.
/// </summary>
public sealed class EntityWriteRoundTripTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An entity service whose entities table requests are counted, on a control plane that has taken one write.</summary>
    private async Task<(EntityService Service, Guid ControlPlane, RequestCounter Requests)> WrittenOnceAsync()
    {
        var layout = new StorageLayout(storage.UniqueName("w"));
        var counter = new RequestCounter();
        var counted = counter.Tables(storage);
        await counted.GetTableClient(layout.EntitiesTable).CreateIfNotExistsAsync(Ct);
        var controlPlanes = new TableControlPlaneStore(storage.CreateTableServiceClient(), layout);
        await controlPlanes.InitializeAsync(Ct);
        var recompose = new QueueRecomposeQueue(storage.CreateAccount(), layout);
        await recompose.InitializeAsync(Ct);
        var cp = new ControlPlane
        {
            Id = Guid.NewGuid(),
            Name = storage.UniqueName("cp"),
            Labels = new SortedDictionary<string, string>(),
            ProxyUrls = [],
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        Assert.True(await controlPlanes.TryAddAsync(cp, Ct));
        var service = new EntityService(new TableEntityStore(counted, layout), controlPlanes, new EntityProcessor(TimeProvider.System), recompose);
        await service.CreateAsync(cp.Id, Consumers.Schema, JsonNode.Parse("""{"username":"first"}""")!.AsObject(), null, Ct);
        return (service, cp.Id, counter);
    }

    [Fact]
    public async Task A_create_with_unique_values_is_one_commit_and_nothing_else()
    {
        var (service, cp, requests) = await WrittenOnceAsync();

        var before = requests.Count;
        var created = await service.CreateAsync(cp, Consumers.Schema, JsonNode.Parse("""{"username":"alice","custom_id":"c-alice"}""")!.AsObject(), null, Ct);

        // The revision from this instance's own last commit, the username and custom_id checked by their index rows' insert.
        Assert.Equal(1, requests.Count - before);
        Assert.Equal("alice", created["username"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"username":"first"}""", "username", "first")]
    [InlineData("""{"username":"other","custom_id":"c-first"}""", "custom_id", "c-first")]
    public async Task A_taken_value_is_found_by_the_commit_and_answered_as_Kong_answers_it(string body, string field, string value)
    {
        var (service, cp, _) = await WrittenOnceAsync();
        await service.CreateAsync(cp, Consumers.Schema, JsonNode.Parse("""{"username":"holder","custom_id":"c-first"}""")!.AsObject(), null, Ct);

        var refused = await Assert.ThrowsAsync<EntityRejectedException>(
            () => service.CreateAsync(cp, Consumers.Schema, JsonNode.Parse(body)!.AsObject(), null, Ct));

        Assert.Equal(Rejection.Conflict, refused.Kind);
        Assert.Equal($"UNIQUE violation detected on '{{{field}=\"{value}\"}}'", refused.Message);
        // Nothing of it was written.
        var listed = await service.ListAsync(cp, Consumers.Schema, new EntityListQuery(), null, Ct);
        Assert.Equal(["first", "holder"], listed.Items.Select(c => c["username"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_credential_naming_its_consumer_is_one_commit_and_leaves_the_consumer_as_it_was()
    {
        var (service, cp, requests) = await WrittenOnceAsync();
        var consumer = await service.CreateAsync(cp, Consumers.Schema, JsonNode.Parse("""{"username":"bob"}""")!.AsObject(), null, Ct);
        var id = consumer["id"]!.GetValue<string>();

        var before = requests.Count;
        var key = await service.CreateAsync(cp, ConsumerCredentials.KeyAuth,
            JsonNode.Parse($$$"""{"key":"bob-key-0123","consumer":{"id":"{{{id}}}"}}""")!.AsObject(), null, Ct);

        // The key's uniqueness and the consumer's existence, both checked by the one commit.
        Assert.Equal(1, requests.Count - before);
        Assert.Equal(id, key["consumer"]!["id"]!.GetValue<string>());
        var after = await service.GetAsync(cp, Consumers.Schema, id, null, Ct);
        Assert.Equal(consumer.ToJsonString(), after.ToJsonString());
    }

    [Fact]
    public async Task A_missing_parent_is_found_by_the_commit_and_answered_as_Kong_answers_it()
    {
        var (service, cp, _) = await WrittenOnceAsync();
        var ghost = Guid.NewGuid().ToString();

        var refused = await Assert.ThrowsAsync<EntityRejectedException>(() => service.CreateAsync(cp, Routes.Schema,
            JsonNode.Parse($$$"""{"name":"r","paths":["/r"],"service":{"id":"{{{ghost}}}"}}""")!.AsObject(), null, Ct));

        Assert.Equal(Rejection.Reference, refused.Kind);
        Assert.Equal($"the foreign key '{{id=\"{ghost}\"}}' does not reference an existing 'services' entity.", refused.Message);
        Assert.Empty((await service.ListAsync(cp, Routes.Schema, new EntityListQuery(), null, Ct)).Items);
        // A unique value and a missing parent in one write: the missing parent is what Kong names first.
        var both = await Assert.ThrowsAsync<EntityRejectedException>(() => service.CreateAsync(cp, ConsumerCredentials.KeyAuth,
            JsonNode.Parse($$$"""{"key":"k","consumer":{"id":"{{{ghost}}}"}}""")!.AsObject(), null, Ct));
        Assert.Equal(Rejection.Reference, both.Kind);
    }
}
