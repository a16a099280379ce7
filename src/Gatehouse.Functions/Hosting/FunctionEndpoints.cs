using System.Text.Json;
using Gatehouse.Core.Audit;
using Gatehouse.Core.Composition;
using Gatehouse.Functions.Audit;
using Gatehouse.Functions.Audit.Delivery;
using Gatehouse.Functions.Composition;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Hosting;

/// <summary>
/// The functions the Azure Functions host invokes on this app as a custom handler (their
/// bindings are in <c>functions/{name}/function.json</c>): the queue-triggered
/// <see cref="Recompose"/> and the timer-triggered <see cref="Sweep"/>. They run the same code as
/// the local poller and sweep timer. A failure answers 500, so the host delivers the message
/// again and, after host.json's <c>maxDequeueCount</c>, moves it to the poison queue.
/// </summary>
internal static class FunctionEndpoints
{
    public const string Recompose = "Recompose";
    public const string Sweep = "Sweep";

    /// <summary>The name of the queue trigger's binding in Recompose/function.json: its key in <c>Data</c>.</summary>
    public const string MessageBinding = "message";

    /// <summary>The name of the timer trigger's binding in Sweep/function.json.</summary>
    public const string TimerBinding = "timer";

    // The host reads the answer with Newtonsoft's default (case-insensitive) settings; these are
    // the names it documents: Outputs, Logs, ReturnValue.
    private static readonly JsonSerializerOptions s_hostJson = new() { PropertyNamingPolicy = null };

    // How long an invocation that arrives while the app is starting waits for storage.
    private static readonly TimeSpan s_readyWait = TimeSpan.FromSeconds(20);

    public static void MapFunctions(this IEndpointRouteBuilder app)
    {
        app.MapPost($"/{Recompose}", RecomposeAsync).AsFunction(Recompose);
        app.MapPost($"/{Sweep}", SweepAsync).AsFunction(Sweep);
    }

    private static void AsFunction(this RouteHandlerBuilder endpoint, string name) =>
        endpoint.AddEndpointFilter<HostOnly>().WithMetadata(new InvokedFunction(name)).ExcludeFromDescription();

    private static async Task<IResult> RecomposeAsync(
        HttpContext context, RecomposeDelivery delivery, StorageReadiness readiness, ILogger<RecomposeDelivery> logger, CancellationToken ct)
    {
        if (await InvocationRequest.ReadAsync(context.Request, ct) is not { } invocation
            || invocation.Data(MessageBinding) is not { } message)
        {
            return Results.BadRequest(new { error = $"expected the host's invocation payload with Data.{MessageBinding}" });
        }
        if (!await IsReadyAsync(readiness, ct))
        {
            return Failed("storage is not ready yet");
        }

        var messageId = invocation.Metadata("Id") ?? context.Request.Headers[HostOnly.InvocationIdHeader].ToString();
        var dequeueCount = invocation.MetadataNumber("DequeueCount") ?? 1;
        var outcome = await delivery.DeliverAsync(messageId, message, dequeueCount, ct);
        logger.LogDebug("Recompose message {MessageId} delivery {DequeueCount} by the Functions host: {Outcome}", messageId, dequeueCount, outcome);
        return outcome == DeliveryOutcome.Handled
            ? Succeeded($"Recompose message {messageId}: handled on delivery {dequeueCount}")
            // Poisoned too: the reason is recorded, and the failure lets the host move the message to its poison queue.
            : Failed($"Recompose message {messageId} failed on delivery {dequeueCount} ({outcome})");
    }

    private static async Task<IResult> SweepAsync(
        HttpContext context, Sweeper sweeper, AuditSweeper auditSweeper, AuditDeliverer auditDeliverer, StorageReadiness readiness, ILogger<Sweeper> logger, CancellationToken ct)
    {
        if (await InvocationRequest.ReadAsync(context.Request, ct) is null)
        {
            return Results.BadRequest(new { error = "expected the host's invocation payload" });
        }
        if (!await IsReadyAsync(readiness, ct))
        {
            return Failed("storage is not ready yet");
        }
        try
        {
            var report = await sweeper.SweepAndReportAsync(ct);
            SweepLog.Write(logger, report);
            AuditSweepTimer.Log(logger, await auditSweeper.SweepAsync(ct));
            await auditDeliverer.DeliverAsync(ct);
            return Succeeded($"Sweep asked for {report.Owed.Count} recompositions and finished {report.ResumedImports.Count} stalled imports");
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Sweep failed; the timer runs it again");
            return Failed($"Sweep failed: {e.GetType().Name}: {e.Message}");
        }
    }

    private static async Task<bool> IsReadyAsync(StorageReadiness readiness, CancellationToken ct)
    {
        try
        {
            await readiness.Ready.WaitAsync(s_readyWait, ct);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    // Answers with a JSON object, never a bare string: the host decodes an output string that
    // happens to be valid base64 (HttpScriptInvocationResultExtensions.GetBindingValue).
    private static IResult Succeeded(string log) =>
        Results.Json(new { Outputs = new { }, Logs = new[] { log }, ReturnValue = (object?)null }, s_hostJson);

    private static IResult Failed(string reason) =>
        Results.Json(new { Outputs = new { }, Logs = new[] { reason }, ReturnValue = (object?)null }, s_hostJson,
            statusCode: StatusCodes.Status500InternalServerError);
}

/// <summary>Marks the endpoint the Functions host POSTs to when it invokes the function <paramref name="Name"/>.</summary>
internal sealed record InvokedFunction(string Name);
