using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Gatehouse.Azure.Composition;
using Gatehouse.Functions.Composition;
using Gatehouse.Functions.Hosting;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.Deployment;

/// <summary>
/// Plays the Azure Functions host against the published package: starts its executable the way
/// the host does (FUNCTIONS_CUSTOMHANDLER_PORT, local delivery off), receives recompose messages
/// from the queue and POSTs them as the host's invocation payloads, fires the sweep timer, and
/// looks at the effects in storage.
/// </summary>
[Collection(PublishedPackageCollection.Name)]
public sealed class FunctionsHostTests(PublishedPackage package, StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The forms a queue message takes in <c>Data</c>, depending on how the host bound it.</summary>
    public enum Encoding
    {
        /// <summary>A string serialised once more by the host, then as part of the body: "\"{\\\"control_plane_id\\\"…}\"".</summary>
        TwiceEncodedString,

        /// <summary>The message text as a plain JSON string.</summary>
        String,

        /// <summary>The message as a JSON object (a POCO binding).</summary>
        Object,
    }

    [Theory]
    [InlineData(Encoding.TwiceEncodedString)]
    [InlineData(Encoding.String)]
    [InlineData(Encoding.Object)]
    public async Task A_recompose_invocation_composes_the_control_plane(Encoding encoding)
    {
        var prefix = storage.UniqueName("t");
        await using var app = await StartAsync(prefix);
        var (controlPlane, revision) = await CreateControlPlaneWithAServiceAsync(app);
        var message = await ReceiveAsync(prefix, controlPlane);
        Assert.Null(await PointerAsync(prefix, controlPlane));

        var response = await InvokeRecomposeAsync(app, message.MessageText, message.MessageId, message.DequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture), encoding);
        var result = await response.ExpectAsync(HttpStatusCode.OK);
        AssertInvocationResult(result);

        var pointer = await PointerAsync(prefix, controlPlane);
        Assert.NotNull(pointer);
        Assert.Equal(revision, pointer.GetInt64("Revision"));
        var expected = await (await app.Client.GetAsync($"/v2/control-planes/{controlPlane}/expected-config-hash", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(expected.GetProperty("expected_hash").GetString(), pointer.GetString("Hash"));
    }

    [Fact]
    public async Task A_failed_recompose_answers_non_2xx_and_its_retry_succeeds()
    {
        var prefix = storage.UniqueName("t");
        await using var app = await StartAsync(prefix);
        var (controlPlane, revision) = await CreateControlPlaneWithAServiceAsync(app);
        var message = await ReceiveAsync(prefix, controlPlane);

        // An entity row whose JSON is broken: composing fails until it is gone.
        var entities = storage.CreateTableServiceClient().GetTableClient($"{prefix}entities");
        var broken = new TableEntity(controlPlane.ToString(), "e|services|00000000-0000-4000-8000-000000000001") { ["B0"] = "{broken" };
        await entities.UpsertEntityAsync(broken, cancellationToken: Ct);
        var failed = await InvokeRecomposeAsync(app, message.MessageText, message.MessageId, "1", Encoding.TwiceEncodedString);
        Assert.False(failed.IsSuccessStatusCode, $"a failed recomposition answered {(int)failed.StatusCode}");
        Assert.Null(await PointerAsync(prefix, controlPlane));
        Assert.Empty(await PoisonedAsync(prefix));

        // The host delivers the message again; this time the cause is gone.
        await entities.DeleteEntityAsync(broken.PartitionKey, broken.RowKey, cancellationToken: Ct);
        var retried = await InvokeRecomposeAsync(app, message.MessageText, message.MessageId, 2, Encoding.TwiceEncodedString);
        AssertInvocationResult(await retried.ExpectAsync(HttpStatusCode.OK));
        Assert.Equal(revision, (await PointerAsync(prefix, controlPlane))!.GetInt64("Revision"));
    }

    [Fact]
    public async Task The_last_failed_delivery_is_recorded_as_poisoned_like_the_local_poller_does()
    {
        var prefix = storage.UniqueName("t");
        await using var app = await StartAsync(prefix);
        var (controlPlane, _) = await CreateControlPlaneWithAServiceAsync(app);
        var message = await ReceiveAsync(prefix, controlPlane);
        var entities = storage.CreateTableServiceClient().GetTableClient($"{prefix}entities");
        await entities.UpsertEntityAsync(new TableEntity(controlPlane.ToString(), "e|services|00000000-0000-4000-8000-000000000001") { ["B0"] = "{broken" }, cancellationToken: Ct);

        var failed = await InvokeRecomposeAsync(app, message.MessageText, message.MessageId, PoisonedMessages.MaxDeliveries, Encoding.TwiceEncodedString);
        // Still a failure: the host then moves the message to its poison queue.
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);

        var record = Assert.Single(await PoisonedAsync(prefix));
        Assert.Equal(message.MessageId, record.RowKey);
        Assert.Equal(QueueRecomposeQueue.Format(controlPlane), record.GetString("Message"));
        Assert.Equal(PoisonedMessages.MaxDeliveries, record.GetInt64("DequeueCount"));
        Assert.Contains("is an invalid start of a", record.GetString("Reason"));
    }

    [Fact]
    public async Task A_sweep_invocation_asks_again_for_work_whose_message_was_lost()
    {
        var prefix = storage.UniqueName("t");
        await using var app = await StartAsync(prefix);
        var (controlPlane, _) = await CreateControlPlaneWithAServiceAsync(app);
        var queue = Queue(prefix);
        var lost = await ReceiveAsync(prefix, controlPlane);
        await queue.DeleteMessageAsync(lost.MessageId, lost.PopReceipt, Ct);

        var timer = new JsonObject
        {
            ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
            ["ScheduleStatus"] = new JsonObject { ["Last"] = "2026-01-01T00:00:00+00:00", ["Next"] = "2026-01-01T00:05:00+00:00", ["LastUpdated"] = "2026-01-01T00:00:00+00:00" },
            ["IsPastDue"] = false,
        };
        var body = new JsonObject
        {
            ["Data"] = new JsonObject { [FunctionEndpoints.TimerBinding] = timer },
            ["Metadata"] = new JsonObject { ["sys"] = Sys(FunctionEndpoints.Sweep) },
        };
        using var response = await InvokeAsync(app, FunctionEndpoints.Sweep, body.ToJsonString());
        AssertInvocationResult(await response.ExpectAsync(HttpStatusCode.OK));
        Assert.Equal(controlPlane, QueueRecomposeQueue.Parse((await ReceiveAsync(prefix, controlPlane)).MessageText));
    }

    [Fact]
    public async Task Requests_that_came_through_the_http_proxy_reach_neither_function()
    {
        var prefix = storage.UniqueName("t");
        await using var app = await StartAsync(prefix);
        var (controlPlane, _) = await CreateControlPlaneWithAServiceAsync(app);
        var message = await ReceiveAsync(prefix, controlPlane);
        var body = RecomposeBody(message.MessageText, message.MessageId, "1", Encoding.TwiceEncodedString);

        // What the proxy adds to every request it forwards, whatever the caller sent.
        foreach (var (name, value) in new[] { ("x-ms-invocation-id", Guid.NewGuid().ToString()), ("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "https") })
        {
            using var proxied = await InvokeAsync(app, FunctionEndpoints.Recompose, body, (name, value));
            Assert.Equal(HttpStatusCode.NotFound, proxied.StatusCode);
        }
        // Not the host either: it always names the invocation.
        using (var anonymous = await app.Client.PostAsync($"/{FunctionEndpoints.Recompose}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
        }
        Assert.Null(await PointerAsync(prefix, controlPlane));

        await queue().DeleteMessageAsync(message.MessageId, message.PopReceipt, Ct);
        using (var sweep = await InvokeAsync(app, FunctionEndpoints.Sweep, """{"Data":{"timer":{}},"Metadata":{}}""", ("X-Forwarded-For", "203.0.113.7")))
        {
            Assert.Equal(HttpStatusCode.NotFound, sweep.StatusCode);
        }
        Assert.Empty((await queue().ReceiveMessagesAsync(32, cancellationToken: Ct)).Value);

        QueueClient queue() => Queue(prefix);
    }

    [Fact]
    public async Task With_the_host_delivering_the_local_poller_and_sweeper_stay_off()
    {
        var prefix = storage.UniqueName("t");
        // A sweep every second, were the local sweeper on.
        await using var app = await StartAsync(prefix, new() { ["Gatehouse__Recompose__SweepSeconds"] = "1" });
        var (controlPlane, _) = await CreateControlPlaneWithAServiceAsync(app);
        await Task.Delay(TimeSpan.FromSeconds(4), Ct);

        // The write's own message, never received by anyone, and no sweep has added another.
        var messages = (await Queue(prefix).ReceiveMessagesAsync(32, cancellationToken: Ct)).Value;
        var only = Assert.Single(messages, m => QueueRecomposeQueue.Parse(m.MessageText) == controlPlane);
        Assert.Equal(1, only.DequeueCount);
        Assert.Null(await PointerAsync(prefix, controlPlane));
    }

    private Task<AppProcess> StartAsync(string prefix, Dictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>(settings ?? []) { ["Gatehouse__Recompose__Local"] = "false" };
        return AppProcess.StartAsync(storage, prefix, environment, package.Directory);
    }

    private static async Task<(Guid ControlPlane, long Revision)> CreateControlPlaneWithAServiceAsync(AppProcess app)
    {
        var created = await (await app.Client.PostJsonAsync("/v2/control-planes", """{"name":"hosted"}""")).ExpectAsync(HttpStatusCode.Created);
        var controlPlane = Guid.Parse(created.GetProperty("id").GetString()!);
        await (await app.Client.PostJsonAsync($"/v2/control-planes/{controlPlane}/core-entities/services", """{"name":"orders","host":"orders.internal"}"""))
            .ExpectAsync(HttpStatusCode.Created);
        return (controlPlane, 1);
    }

    private QueueClient Queue(string prefix) => storage.CreateQueueServiceClient().GetQueueClient($"{prefix}recompose");

    /// <summary>Receives, as the host's queue listener does, the first message naming the control plane.</summary>
    private async Task<QueueMessage> ReceiveAsync(string prefix, Guid controlPlane)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var messages = (await Queue(prefix).ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5), Ct)).Value;
            if (messages.FirstOrDefault(m => QueueRecomposeQueue.Parse(m.MessageText) == controlPlane) is { } message)
            {
                return message;
            }
            Assert.True(DateTime.UtcNow < deadline, $"no recompose message for {controlPlane}");
            await Task.Delay(100, Ct);
        }
    }

    private async Task<TableEntity?> PointerAsync(string prefix, Guid controlPlane)
    {
        var row = await storage.CreateTableServiceClient().GetTableClient($"{prefix}snapshots")
            .GetEntityIfExistsAsync<TableEntity>(controlPlane.ToString(), "pointer", cancellationToken: Ct);
        return row.HasValue ? row.Value : null;
    }

    private async Task<List<TableEntity>> PoisonedAsync(string prefix) =>
        await storage.CreateTableServiceClient().GetTableClient($"{prefix}snapshots")
            .QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {PoisonedMessages.PartitionKey}"), cancellationToken: Ct).ToListAsync(Ct);

    private static Task<HttpResponseMessage> InvokeRecomposeAsync(AppProcess app, string messageText, string messageId, JsonNode dequeueCount, Encoding encoding) =>
        InvokeAsync(app, FunctionEndpoints.Recompose, RecomposeBody(messageText, messageId, dequeueCount, encoding));

    /// <summary>
    /// The body the host sends for a queue trigger (doc: functions-custom-handlers.md, "Request
    /// payload"), with values encoded the way the host encodes them: strings and numbers
    /// serialised on their own first, so they arrive as JSON strings holding JSON (a DequeueCount
    /// as "2"); the tests send some as plain JSON numbers too.
    /// </summary>
    private static string RecomposeBody(string messageText, string messageId, JsonNode dequeueCount, Encoding encoding)
    {
        JsonNode message = encoding switch
        {
            Encoding.TwiceEncodedString => JsonSerializer.Serialize(messageText),
            Encoding.String => messageText,
            Encoding.Object => JsonNode.Parse(messageText)!,
            _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
        };
        return new JsonObject
        {
            ["Data"] = new JsonObject { [FunctionEndpoints.MessageBinding] = message },
            ["Metadata"] = new JsonObject
            {
                ["DequeueCount"] = dequeueCount,
                ["Id"] = JsonSerializer.Serialize(messageId),
                ["PopReceipt"] = JsonSerializer.Serialize("AgAAAAMAAAAAAAAA"),
                ["InsertionTime"] = "2026-01-01T00:00:00+00:00",
                ["ExpirationTime"] = "2026-01-08T00:00:00+00:00",
                ["NextVisibleTime"] = "2026-01-01T00:10:00+00:00",
                ["sys"] = Sys(FunctionEndpoints.Recompose),
            },
        }.ToJsonString();
    }

    private static JsonObject Sys(string function) =>
        new() { ["MethodName"] = function, ["UtcNow"] = "2026-01-01T00:00:01.0000000Z", ["RandGuid"] = Guid.NewGuid().ToString() };

    /// <summary>POSTs as the host does: to /{function}, with its invocation headers, plus any given.</summary>
    private static async Task<HttpResponseMessage> InvokeAsync(AppProcess app, string function, string body, params (string Name, string Value)[] extraHeaders)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/{function}")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(HostOnly.InvocationIdHeader, Guid.NewGuid().ToString());
        request.Headers.Add("X-Azure-Functions-HostVersion", "4.1040.300.0");
        request.Headers.UserAgent.ParseAdd("Azure-Functions-Host/4.1040.300.0");
        request.Headers.Authorization = null;
        foreach (var (name, value) in extraHeaders)
        {
            request.Headers.Add(name, value);
        }
        using var anonymous = new HttpClient { BaseAddress = app.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        return await anonymous.SendAsync(request, Ct);
    }

    /// <summary>The answer the host expects from a custom handler: Outputs, Logs and ReturnValue, as JSON.</summary>
    private static void AssertInvocationResult(JsonElement result)
    {
        Assert.Equal(JsonValueKind.Object, result.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Array, result.GetProperty("Logs").ValueKind);
        Assert.True(result.TryGetProperty("ReturnValue", out _));
    }
}
