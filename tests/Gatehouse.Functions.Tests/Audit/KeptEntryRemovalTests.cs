using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Gatehouse.Azure.Entities;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Audit;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Functions.Audit;
using Gatehouse.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Functions.Tests.Audit;

/// <summary>
/// The kept copies of recorded audit entries are removed one removal per control plane at a time:
/// those recorded while one is in flight go together in the next, and none waits when none is.
/// </summary>
public sealed class KeptEntryRemovalTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Entries_recorded_while_a_removal_is_in_flight_are_removed_together_by_the_next()
    {
        var layout = new StorageLayout(storage.UniqueName("kept"));
        var gate = new FirstTransactionGate();
        var options = new StorageAccountOptions();
        options.Tables.AddPolicy(gate, HttpPipelinePosition.PerCall);
        var gated = new TableEntityStore(storage.CreateAccount(options).Tables, layout);
        var writer = new TableEntityStore(storage.CreateTableServiceClient(), layout);
        await storage.CreateTableServiceClient().GetTableClient(layout.EntitiesTable).CreateIfNotExistsAsync(Ct);
        var cp = Guid.NewGuid();
        var entries = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            entries.Add(await CommitKeepingAsync(writer, cp, i));
        }
        var removal = new KeptEntryRemoval(gated, NullLogger<KeptEntryRemoval>.Instance);

        // The first starts a removal at once; it is held in flight while the other 19 are recorded.
        removal.Remove(cp, entries[0]);
        await gate.Held.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        foreach (var id in entries.Skip(1))
        {
            removal.Remove(cp, id);
        }
        Assert.Equal(1, removal.Removals);
        gate.Release();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await writer.ListKeptAsync(cp, DateTimeOffset.UtcNow.AddHours(1), 100, Ct)).Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the kept copies were not removed within 10 s");
            await Task.Delay(20, Ct);
        }
        Assert.Equal(2, removal.Removals);

        // With none in flight, the next is removed at once, on its own.
        var last = await CommitKeepingAsync(writer, cp, 20);
        removal.Remove(cp, last);
        while ((await writer.ListKeptAsync(cp, DateTimeOffset.UtcNow.AddHours(1), 100, Ct)).Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline + TimeSpan.FromSeconds(10), "the last kept copy was not removed");
            await Task.Delay(20, Ct);
        }
        Assert.Equal(3, removal.Removals);
    }

    private static Task<Guid> CommitKeepingAsync(TableEntityStore store, Guid controlPlane, int n) => Task.Run(async () =>
    {
        var entry = new AuditEntry(Guid.CreateVersion7(), DateTimeOffset.UtcNow, new AuditPrincipal("organization_admin", null, "the organization admin"),
            "core-entities.services.create", controlPlane, "POST", $"/v2/control-planes/{controlPlane}/core-entities/services", 201, "0HN:1", "abc", "127.0.0.1", "tests/1");
        AuditedChange.Begin(entry, keepsEntry: true);
        var service = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["name"] = $"svc-{n}", ["host"] = "example.com" };
        var result = await store.CommitAsync(controlPlane, await store.GetRevisionAsync(controlPlane, Ct), [new EntityChange.Put(KongSchemas.Find("services")!, service, null)], Ct);
        Assert.Equal(CommitOutcome.Committed, result.Outcome);
        return entry.Id;
    }, Ct);

    /// <summary>Holds the first entity-group transaction sent through it until released.</summary>
    private sealed class FirstTransactionGate : HttpPipelinePolicy
    {
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _seen;

        public Task Held => _held.Task;

        public void Release() => _release.TrySetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal) && Interlocked.Increment(ref _seen) == 1)
            {
                _held.TrySetResult();
                await _release.Task;
            }
            await ProcessNextAsync(message, pipeline);
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The stores send asynchronously.");
    }
}
