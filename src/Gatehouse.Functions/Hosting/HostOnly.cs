namespace Gatehouse.Functions.Hosting;

/// <summary>
/// Lets through only requests the Azure Functions host makes itself to invoke a function.
/// <para>
/// The host invokes a queue or timer function with <c>POST http://127.0.0.1:{port}/{FunctionName}</c>.
/// The public catch-all HTTP function is proxied to the same port with the request's own path, so
/// <c>https://{app}/Recompose</c> from anyone would land on the same endpoint. What tells them apart
/// (azure-functions-host, DefaultHttpWorkerService and DefaultHttpProxyService): a proxied request
/// always carries <c>x-ms-invocation-id</c> (the proxy adds it) and <c>X-Forwarded-*</c> (YARP's
/// default transforms set them, replacing any the caller sent); the host's own invocation carries
/// neither, but always <c>X-Azure-Functions-InvocationId</c>. A request that came through the proxy
/// is answered 404, as if the endpoint did not exist, and nothing runs.
/// </para>
/// </summary>
internal sealed class HostOnly(ILogger<HostOnly> logger) : IEndpointFilter
{
    public const string InvocationIdHeader = "X-Azure-Functions-InvocationId";

    /// <summary>Headers a request through the host's HTTP proxy always has, and a host invocation never has.</summary>
    public static readonly IReadOnlyList<string> ProxiedHeaders =
        ["x-ms-invocation-id", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "Forwarded"];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Request.Headers;
        if (!headers.ContainsKey(InvocationIdHeader) || ProxiedHeaders.Any(headers.ContainsKey))
        {
            logger.LogWarning("Refused {Path}: not an invocation by the Functions host (it came through the HTTP proxy, or from elsewhere)",
                context.HttpContext.Request.Path);
            return Results.NotFound();
        }
        return await next(context);
    }
}
