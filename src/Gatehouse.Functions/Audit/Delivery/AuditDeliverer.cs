using System.Net.Http.Headers;
using Gatehouse.Core.Audit;
using Gatehouse.Core.Audit.Delivery;

namespace Gatehouse.Functions.Audit.Delivery;

/// <summary>
/// How delivery runs (<c>Gatehouse:Audit:Delivery*</c>).
/// </summary>
/// <param name="Settle">
/// Entries listed less than this long ago are not sent yet: an entry's listing time is taken just
/// before its write lands, so one listed a moment earlier may still appear behind one already sent.
/// </param>
/// <param name="BatchSize">Entries per request.</param>
/// <param name="FirstRetry">The wait after the first failure; it doubles with each failure after it.</param>
/// <param name="LongestRetry">The longest wait between attempts.</param>
internal sealed record AuditDeliverySettings(TimeSpan Settle, int BatchSize, TimeSpan FirstRetry, TimeSpan LongestRetry)
{
    public TimeSpan Backoff(int failures) =>
        TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, FirstRetry.Ticks * (1L << Math.Min(failures - 1, 30))));
}

/// <summary>
/// Sends the audit log to the webhook's target, at least once and in order: entries after the
/// target's cursor, oldest first, a gzipped batch per request; the cursor moves past a batch only
/// after the target answered it 2xx, so a crash or a failure re-sends, never skips. After a failure
/// the next attempt waits (<see cref="AuditDeliverySettings.Backoff"/>); there is no last attempt.
/// The feed is in the order entries were listed, not the order requests arrived: a long request's
/// entry, or one the audit sweep lists as interrupted, comes after the cursor, so none is passed over.
/// </summary>
internal sealed class AuditDeliverer(
    IAuditDeliveryStore store, IAuditFeed feed, AuditWire wire, IHttpClientFactory http, AuditDeliverySettings settings, TimeProvider clock,
    ILogger<AuditDeliverer> logger)
{
    public const string Client = "audit-delivery";
    public const string InsecureClient = "audit-delivery-skip-ssl-verification";

    // Per run, so one run does not hold the timer for long when a backlog is worked off.
    private const int MaxBatchesPerRun = 20;

    /// <summary>Delivers what is due; says how many entries the target accepted.</summary>
    public async Task<int> DeliverAsync(CancellationToken cancellationToken)
    {
        var (target, since) = await TargetAsync(cancellationToken).ConfigureAwait(false);
        if (target is null)
        {
            return 0;
        }
        var delivered = 0;
        for (var run = 0; run < MaxBatchesPerRun; run++)
        {
            var now = clock.GetUtcNow();
            var state = await store.GetStateAsync(target.Key, cancellationToken).ConfigureAwait(false);
            if (state is null)
            {
                // A target gets the entries of requests answered after the webhook was last configured; earlier ones are in GET /v2/audit-logs.
                await store.TryPutStateAsync(target.Key, new AuditDeliveryState(new AuditCursor(since, Guid.Empty), 0, null, null), cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (state.NextAttemptAt > now)
            {
                return delivered;
            }
            // Entries are listed in the order they are recorded, give or take a write in flight: settled ones only.
            var horizon = now - settings.Settle;
            var batch = await feed.ListOldestFirstAsync(state.After, horizon, settings.BatchSize, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                return delivered;
            }
            var failure = await SendAsync(target, batch, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                var failures = state.Failures + 1;
                var wait = settings.Backoff(failures);
                logger.LogWarning("Audit delivery to {Target} failed ({Failure}), {Failures} in a row; the next attempt in {Wait}", target.Key, failure, failures, wait);
                await store.TryPutStateAsync(target.Key, state with { Failures = failures, NextAttemptAt = now + wait }, cancellationToken).ConfigureAwait(false);
                return delivered;
            }
            var last = batch[^1];
            if (!await store.TryPutStateAsync(target.Key, new AuditDeliveryState(new AuditCursor(last.Listed ?? last.Time, last.Id), 0, null, state.Version), cancellationToken)
                .ConfigureAwait(false))
            {
                // Another instance delivered meanwhile and moved the cursor: it goes on from there.
                return delivered;
            }
            delivered += batch.Count;
            if (batch.Count < settings.BatchSize)
            {
                return delivered;
            }
        }
        return delivered;
    }

    private async Task<(AuditTarget? Target, DateTimeOffset Since)> TargetAsync(CancellationToken cancellationToken)
    {
        var webhook = await store.GetWebhookAsync(cancellationToken).ConfigureAwait(false);
        if (!webhook.Enabled)
        {
            return (null, default);
        }
        if (webhook.DestinationId is { } id)
        {
            return ((await store.GetDestinationAsync(id, cancellationToken).ConfigureAwait(false))?.Target, webhook.UpdatedAt);
        }
        return (webhook.Endpoint is { } endpoint
            ? new AuditTarget(AuditWebhook.OwnEndpointKey, endpoint, webhook.Authorization ?? "", webhook.LogFormat, webhook.SkipSslVerification)
            : null, webhook.UpdatedAt);
    }

    /// <summary>Null when the target answered 2xx; otherwise what went wrong, without the authorization value.</summary>
    private async Task<string?> SendAsync(AuditTarget target, IReadOnlyList<AuditEntry> batch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Endpoint)
        {
            Content = new ByteArrayContent(await wire.BatchAsync(target.LogFormat, batch, cancellationToken).ConfigureAwait(false)),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(wire.ContentType(target.LogFormat));
        request.Content.Headers.ContentEncoding.Add("gzip");
        if (target.Authorization.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Authorization", target.Authorization);
        }
        try
        {
            using var response = await http.CreateClient(target.SkipSslVerification ? InsecureClient : Client)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return e.GetType().Name + (e is HttpRequestException { HttpRequestError: var error } ? $" {error}" : "");
        }
    }
}
