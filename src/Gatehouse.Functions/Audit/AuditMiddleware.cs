using Gatehouse.Core.Audit;

namespace Gatehouse.Functions.Audit;

/// <summary>
/// Records each management request that changes something or is refused. A refusal's entry, and a
/// change's whose entry waits in the log's outbox, is written as the response starts, so an answer the
/// client received always has its entry; a change whose commit kept its entry is recorded just after
/// the client has the answer. Registered outside authentication and authorization, so it sees their
/// refusals. A change's entry was kept before or with it (<see cref="AuditOutboxMiddleware"/>): if the
/// process stops after the change and before this, the sweeper lists it as interrupted.
/// </summary>
internal sealed class AuditMiddleware(
    RequestDelegate next, IAuditLog log, KeptEntryRemoval removal, AuditRecordsInFlight inFlight, AuditOptions options, TimeProvider clock,
    ILogger<AuditMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var audited = AuditedRequest.Of(context, options.Redaction, options.Client, clock);
        context.Features.Set(audited);
        context.Response.OnStarting(() => RecordAsync(context, audited));
        await next(context);
    }

    private async Task RecordAsync(HttpContext context, AuditedRequest audited)
    {
        // Listed as answered, whenever the row lands: the feed delivers in the order answers were given.
        var entry = audited.Entry(context).Answered(context.Response.StatusCode) with { Listed = clock.GetUtcNow() };
        if (!audited.Begun && !entry.IsRefusal && !audited.IsChange)
        {
            return;
        }
        var keptSomewhere = audited.Begun || audited.KeptWithChange?.KeptIn.Count > 0;
        if (keptSomewhere && entry.Action == options.CrashAfter && entry.Status < 400)
        {
            AuditCrashInjection.Crash(logger, entry);
        }
        if (audited.KeptWithChange is { } kept)
        {
            // Its commits keep it until it is recorded: the client need not wait for that.
            context.Response.OnCompleted(() =>
            {
                inFlight.Track(entry.Id, () => RecordKeptAsync(entry, kept));
                return Task.CompletedTask;
            });
            return;
        }
        // Not the request's token: the entry is written even when the client has gone.
        if (audited.Begun || entry.IsRefusal)
        {
            await log.RecordAsync(entry, CancellationToken.None);
            if (audited.Begun)
            {
                // After the answer is sent: the client need not wait for it, and the sweeper removes one a stop left behind.
                context.Response.OnCompleted(() => ForgetBegunAsync(entry));
            }
            return;
        }
        try
        {
            // A change that never ran (storage not ready, say): worth recording, not worth failing the answer for.
            await log.RecordAsync(entry, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not record the audit entry of {Method} {Path} answered {Status}", entry.Method, entry.Target, entry.Status);
        }
    }

    private async Task RecordKeptAsync(AuditEntry entry, AuditedChange kept)
    {
        try
        {
            await log.RecordAsync(entry, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not record the audit entry of {Method} {Path} answered {Status}; the audit sweep lists it as interrupted if it changed something",
                entry.Method, entry.Target, entry.Status);
            return;
        }
        foreach (var controlPlane in kept.KeptIn)
        {
            removal.Remove(controlPlane, entry.Id);
        }
    }

    private async Task ForgetBegunAsync(AuditEntry entry)
    {
        try
        {
            await log.ForgetBegunAsync(entry, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not remove the outbox row of audit entry {EntryId}; the audit sweep will", entry.Id);
        }
    }
}

/// <summary>
/// Keeps a change's entry before the endpoint runs (after authorization let it through), so that
/// one whose answer is never recorded is not lost: <see cref="AuditSweeper"/> finds it. On routes
/// whose changes are entity commits (<see cref="AuditKeptWithChange"/>) the commit keeps it instead,
/// in its own transaction, which costs the request no round trip of its own.
/// </summary>
internal sealed class AuditOutboxMiddleware(RequestDelegate next, IAuditLog log, AuditSettings settings, TimeProvider clock, ILogger<AuditOutboxMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<AuditedRequest>() is not { IsChange: true } audited)
        {
            await next(context);
            return;
        }
        var entry = audited.Entry(context);
        if (context.GetEndpoint()?.Metadata.GetMetadata<AuditKeptWithChange>() is not null)
        {
            audited.KeptWithChange = AuditedChange.Begin(entry, keepsEntry: true);
            await next(context);
            return;
        }
        await log.BeginAsync(entry, context.RequestAborted);
        audited.Begun = true;
        // Entity commits it makes (an import's, a restore's) still name who made them.
        AuditedChange.Begin(entry, keepsEntry: false);
        await using (BegunEntryKeepAlive.Start(log, entry, settings, clock, logger))
        {
            await next(context);
        }
    }
}
