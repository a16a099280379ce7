using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Gatehouse.Azure.Composition;
using Gatehouse.Core.Composition;
using Gatehouse.Functions.Composition;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests;

/// <summary>Writes become snapshots: the outbox revision, the queue, the worker, the content-addressed blob and the pointer.</summary>
public sealed class RecomposePipelineTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> ExpectedHashAsync(RunningApp app, string controlPlane) =>
        await (await app.Client.GetAsync($"/v2/control-planes/{controlPlane}/expected-config-hash", Ct)).ExpectAsync(HttpStatusCode.OK);

    private static async Task<JsonElement> WaitForConfigAsync(RunningApp app, string controlPlane, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var config = await (await app.Client.GetAsync($"/v2/control-planes/{controlPlane}/declarative-config", Ct)).ExpectAsync(HttpStatusCode.OK);
            if (condition(config))
            {
                return config;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the snapshot never caught up: {config.GetRawText()}");
            await Task.Delay(50, Ct);
        }
    }

    [Fact]
    public async Task A_write_reaches_the_snapshot_which_is_valid_Kong_config_with_the_hash_as_ETag()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var root = await app.CreateControlPlaneAsync("composed");
        var cp = root.Split('/')[3];
        var empty = await ExpectedHashAsync(app, cp);
        Assert.Matches("^[0-9a-f]{32}$", empty.GetProperty("expected_hash").GetString());

        await (await app.Client.PostJsonAsync(root + "/services", """{"name":"orders","host":"orders.internal"}""")).ExpectAsync(HttpStatusCode.Created);
        await (await app.Client.PostJsonAsync(root + "/services/orders/routes", """{"name":"orders","paths":["/orders"]}""")).ExpectAsync(HttpStatusCode.Created);
        var config = await WaitForConfigAsync(app, cp, c => c.TryGetProperty("routes", out var routes) && routes.GetArrayLength() == 1);

        Assert.Equal("3.0", config.GetProperty("_format_version").GetString());
        Assert.Equal("orders", config.GetProperty("services")[0].GetProperty("name").GetString());
        OpenApiAssert.Valid(ReferenceSpecs.KongDeclarativeConfig, config);

        var response = await app.Client.GetAsync($"/v2/control-planes/{cp}/declarative-config", Ct);
        var expected = await ExpectedHashAsync(app, cp);
        Assert.Equal($"\"{expected.GetProperty("expected_hash").GetString()}\"", response.Headers.ETag?.Tag);
        Assert.NotEqual(empty.GetProperty("expected_hash").GetString(), expected.GetProperty("expected_hash").GetString());

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/v2/control-planes/{cp}/declarative-config");
        conditional.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await app.Client.SendAsync(conditional, Ct)).StatusCode);

        using var yaml = new HttpRequestMessage(HttpMethod.Get, $"/v2/control-planes/{cp}/declarative-config");
        yaml.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/yaml"));
        var yamlResponse = await app.Client.SendAsync(yaml, Ct);
        Assert.Equal("application/yaml", yamlResponse.Content.Headers.ContentType?.MediaType);
        var text = await yamlResponse.Content.ReadAsStringAsync(Ct);
        Assert.Contains("_format_version: \"3.0\"", text);
        Assert.Contains("- /orders", text);
    }

    [Fact]
    public async Task Concurrent_and_repeated_recomposes_compose_once_and_never_move_the_pointer_back()
    {
        await using var app = await RunningApp.StartAsync(storage, new Dictionary<string, string?> { ["Gatehouse:Recompose:Local"] = "false" });
        var root = await app.CreateControlPlaneAsync("coalesced");
        var cp = Guid.Parse(root.Split('/')[3]);
        for (var i = 0; i < 5; i++)
        {
            await (await app.Client.PostJsonAsync(root + "/services", $$"""{"name":"s{{i}}","host":"h.test"}""")).ExpectAsync(HttpStatusCode.Created);
        }
        var recomposer = app.Services.GetRequiredService<Recomposer>();
        var snapshots = app.Services.GetRequiredService<ISnapshotStore>();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => recomposer.RecomposeAsync(cp, Ct)));
        Assert.Equal(1, outcomes.Count(o => o.Outcome == RecomposeOutcome.Composed));
        Assert.All(outcomes, o => Assert.Equal(5, o.Pointer!.Revision));

        var pointer = (await snapshots.GetPointerAsync(cp, Ct))!;
        Assert.Equal(5, pointer.Revision);
        await Assert.ThrowsAsync<ArgumentException>(() => snapshots.TryAdvanceAsync(cp, pointer, pointer with { Source = new SnapshotSource(4) }, Ct));
        Assert.False(await snapshots.TryAdvanceAsync(cp, pointer with { Version = "W/\"datetime'2000-01-01T00%3A00%3A00Z'\"" }, pointer with { Source = new SnapshotSource(6) }, Ct));
        Assert.Equal((RecomposeOutcome.UpToDate, 5L), ((await recomposer.RecomposeAsync(cp, Ct)).Outcome, (await snapshots.GetPointerAsync(cp, Ct))!.Revision));
    }

    [Fact]
    public async Task The_sweeper_finds_a_write_whose_message_was_lost()
    {
        await using var app = await RunningApp.StartAsync(storage, new Dictionary<string, string?> { ["Gatehouse:Recompose:Local"] = "false" });
        var root = await app.CreateControlPlaneAsync("swept");
        var cp = Guid.Parse(root.Split('/')[3]);
        await (await app.Client.PostJsonAsync(root + "/services", """{"name":"s","host":"h.test"}""")).ExpectAsync(HttpStatusCode.Created);
        var queue = app.Services.GetRequiredService<QueueRecomposeQueue>().Queue;

        // Lose the message the write sent.
        await ReceiveForAsync(queue, cp, delete: true);

        var owed = await app.Services.GetRequiredService<Sweeper>().SweepAsync(Ct);
        Assert.Contains(cp, owed);
        var redelivered = await ReceiveForAsync(queue, cp, delete: false);

        await app.Services.GetRequiredService<RecomposeHandler>().HandleAsync(redelivered.MessageText, redelivered.DequeueCount, Ct);
        Assert.Equal(1, (await app.Services.GetRequiredService<ISnapshotStore>().GetPointerAsync(cp, Ct))!.Revision);
        Assert.DoesNotContain(cp, await app.Services.GetRequiredService<Sweeper>().SweepAsync(Ct));
    }

    /// <summary>
    /// The next message asking for <paramref name="cp"/>, others received on the way deleted. Requests are
    /// sent off the asker's path (a write's answer, the sweep), so one may land a moment after the asker returns.
    /// </summary>
    private static async Task<QueueMessage> ReceiveForAsync(QueueClient queue, Guid cp, bool delete)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no recompose message for {cp} arrived");
            foreach (var message in (await queue.ReceiveMessagesAsync(32, cancellationToken: Ct)).Value)
            {
                if (QueueRecomposeQueue.Parse(message.MessageText) == cp && !delete)
                {
                    return message;
                }
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, Ct);
                if (QueueRecomposeQueue.Parse(message.MessageText) == cp)
                {
                    return message;
                }
            }
            await Task.Delay(20, Ct);
        }
    }

    [Fact]
    public async Task The_sweeper_trims_the_change_log_behind_the_snapshot_once_per_move_and_recomposition_stays_right()
    {
        await using var app = await RunningApp.StartAsync(storage, new Dictionary<string, string?> { ["Gatehouse:Recompose:ChangeLogKept"] = "2" });
        var root = await app.CreateControlPlaneAsync("trimmed");
        var cp = Guid.Parse(root.Split('/')[3]);
        for (var i = 0; i < 6; i++)
        {
            await (await app.Client.PostJsonAsync(root + "/services", $$"""{"name":"s{{i}}","host":"h.test"}""")).ExpectAsync(HttpStatusCode.Created);
        }
        var snapshots = app.Services.GetRequiredService<ISnapshotStore>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await snapshots.GetPointerAsync(cp, Ct))?.Revision != 6)
        {
            Assert.True(DateTime.UtcNow < deadline, "the snapshot never reached revision 6");
            await Task.Delay(20, Ct);
        }

        await app.Services.GetRequiredService<Sweeper>().SweepAsync(Ct);

        // Revisions 1 to 4 trimmed (two kept behind the snapshot at 6): a second trim finds nothing left.
        Assert.Equal(0, await app.Services.GetRequiredService<IEntityChangeReader>().TrimChangesAsync(cp, 4, 100, Ct));
        Assert.Equal(2, await app.Services.GetRequiredService<IEntityChangeReader>().TrimChangesAsync(cp, 6, 100, Ct));

        // Until the snapshot moves, a sweep makes no trim pass: a log row put back behind the trimmed
        // revision (a marker; nothing writes one there) stays, and the next move's pass takes it.
        var entities = storage.CreateTableServiceClient().GetTableClient($"{app.Prefix}entities");
        var marker = $"c|{3:D19}";
        await entities.AddEntityAsync(new TableEntity(cp.ToString(), marker), Ct);
        await app.Services.GetRequiredService<Sweeper>().SweepAsync(Ct);
        Assert.True((await entities.GetEntityIfExistsAsync<TableEntity>(cp.ToString(), marker, cancellationToken: Ct)).HasValue);

        // Whatever the cache holds, the next write's snapshot has every service.
        await (await app.Client.PostJsonAsync(root + "/services", """{"name":"s6","host":"h.test"}""")).ExpectAsync(HttpStatusCode.Created);
        var config = await DeclarativeImportTests.ExportWhenAsync(app, cp.ToString(), (_, c) => c["services"]?.AsArray().Count == 7);
        Assert.Equal(7, config["services"]!.AsArray().Count);
        await app.Services.GetRequiredService<Sweeper>().SweepAsync(Ct);
        Assert.False((await entities.GetEntityIfExistsAsync<TableEntity>(cp.ToString(), marker, cancellationToken: Ct)).HasValue);
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_poisoned_with_its_reason_recorded()
    {
        await using var app = await RunningApp.StartAsync(storage, new Dictionary<string, string?> { ["Gatehouse:Recompose:VisibilitySeconds"] = "1" });
        var root = await app.CreateControlPlaneAsync("poisoned");
        var cp = root.Split('/')[3];
        // An entity row whose JSON is broken: composing this control plane fails every time.
        var entities = storage.CreateTableServiceClient().GetTableClient($"{app.Prefix}entities");
        await entities.UpsertEntityAsync(new TableEntity(cp, "e|services|00000000-0000-4000-8000-000000000001") { ["B0"] = "{broken" }, cancellationToken: Ct);
        await app.Services.GetRequiredService<QueueRecomposeQueue>().EnqueueAsync(Guid.Parse(cp), Ct);

        var poison = storage.CreateTableServiceClient().GetTableClient($"{app.Prefix}snapshots");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        List<TableEntity> recorded;
        while ((recorded = await poison.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"poison"}"), cancellationToken: Ct).ToListAsync(Ct)).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the failing message was never poisoned");
            await Task.Delay(200, Ct);
        }
        var record = Assert.Single(recorded);
        Assert.Equal(QueueRecomposeQueue.Format(Guid.Parse(cp)), record.GetString("Message"));
        Assert.Equal(PoisonedMessages.MaxDeliveries, record.GetInt64("DequeueCount"));
        Assert.Contains("is an invalid start of a", record.GetString("Reason"));
    }
}
