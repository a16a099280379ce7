using Azure;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Import;
using Gatehouse.Core.Validation;
using Gatehouse.Functions.Composition;

namespace Gatehouse.Functions.Http;

/// <summary>
/// Turns refusals into the error dialect of the endpoint (<see cref="ErrorDialect"/>), and anything unexpected into a
/// 500 that carries the trace id (and is logged with it) — never a stack trace to the client.
/// </summary>
internal sealed class ApiErrorMiddleware(RequestDelegate next, ILogger<ApiErrorMiddleware> logger, IHostEnvironment environment)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var (status, detail, parameters) = Classify(e);
            if (status >= 500)
            {
                logger.LogError(e, "{Method} {Path} failed with {Status} (trace {TraceId})",
                    context.Request.Method, context.Request.Path, status, Problem.TraceId(context));
                if (environment.IsDevelopment())
                {
                    // Locally the cause is more use in the answer than in a log one has to find.
                    detail += $" ({e.GetType().Name}: {e.Message.Split('\n')[0]})";
                }
            }
            context.Response.Clear();
            if (e is ImportRejectedException import)
            {
                await ImportJson.WriteRejectionAsync(context, import);
            }
            else if (e is EntityRejectedException rejection)
            {
                await KongErrors.WriteRejectionAsync(context, rejection);
            }
            else
            {
                await ErrorDialect.Of(context).WriteAsync(context, status, detail, parameters);
            }
        }
    }

    private static (int Status, string Detail, IReadOnlyList<InvalidParameter>? Parameters) Classify(Exception e) => e switch
    {
        EntityRejectedException rejected => (KongErrors.StatusOf(rejected.Kind).Status, rejected.Message, null),
        RequestInvalidException invalid => (400, invalid.Message, invalid.InvalidParameters),
        NotFoundException notFound => (404, notFound.Message, null),
        ConflictException conflict => (409, conflict.Message, null),
        PayloadTooLargeException tooLarge => (413, tooLarge.Message, null),
        UnsupportedMediaTypeException unsupported => (415, unsupported.Message, null),
        ImportRejectedException invalid => (400, invalid.Message, null),
        // Key Vault (or another issuer) refused or failed: the upstream's fault, said with its reason.
        CertificateIssuerException issuer => (502, $"The certificate issuer failed: {issuer.Message}", null),
        BadHttpRequestException bad => (bad.StatusCode, bad.Message, null),
        RequestFailedException storage when storage.Status is 0 or 408 or 429 or >= 500 =>
            (503, "Storage is unavailable; retry shortly.", null),
        AggregateException { InnerException: RequestFailedException } => (503, "Storage is unavailable; retry shortly.", null),
        _ => (500, "An unexpected error occurred; the trace id identifies it in the logs.", null),
    };
}
