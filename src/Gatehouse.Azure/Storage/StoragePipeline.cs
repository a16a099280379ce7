using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Gatehouse.Azure.Storage;

/// <summary>Builds the Azure.Core pipeline every storage client sends through, and sends on it.</summary>
internal static class StoragePipeline
{
    public const string StorageScope = "https://storage.azure.com/.default";

    private static readonly string[] s_loggedHeaders =
    [
        "x-ms-request-id", "x-ms-client-request-id", "x-ms-version", "x-ms-error-code", "x-ms-date",
        "x-ms-blob-type", "x-ms-continuation-NextPartitionKey", "x-ms-continuation-NextRowKey",
        "x-ms-popreceipt", "x-ms-time-next-visible", "ETag", "If-Match", "If-None-Match", "Prefer",
        "DataServiceVersion", "Content-Type", "Content-Length",
    ];

    private static readonly string[] s_loggedQueryParameters =
    [
        "restype", "comp", "prefix", "maxresults", "numofmessages", "visibilitytimeout", "messagettl",
        "peekonly", "$top", "$select",
    ];

    /// <summary>Lets the pipeline's logs show the storage headers and query parameters that explain a request.</summary>
    public static void AllowStorageDiagnostics(DiagnosticsOptions diagnostics)
    {
        foreach (var header in s_loggedHeaders)
        {
            diagnostics.LoggedHeaderNames.Add(header);
        }
        foreach (var parameter in s_loggedQueryParameters)
        {
            diagnostics.LoggedQueryParameters.Add(parameter);
        }
    }

    public static HttpPipeline Build(ClientOptions options, HttpPipelinePolicy authentication)
    {
        var pipelineOptions = new HttpPipelineOptions(options) { RequestFailedDetailsParser = StorageErrorParser.Shared };
        pipelineOptions.PerRetryPolicies.Add(StorageDatePolicy.Shared);
        pipelineOptions.PerRetryPolicies.Add(authentication);
        return HttpPipelineBuilder.Build(pipelineOptions);
    }

    public static HttpPipelinePolicy Authenticate(TokenCredential credential) =>
        new BearerTokenAuthenticationPolicy(credential, StorageScope);

    /// <summary>A request to <paramref name="uri"/> in the given service version.</summary>
    public static HttpMessage CreateMessage(this HttpPipeline pipeline, RequestMethod method, string uri, string version)
    {
        var message = pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(uri));
        message.Request.Headers.Add("x-ms-version", version);
        return message;
    }

    /// <summary>Sends the message and throws <see cref="RequestFailedException"/> unless the status is one of <paramref name="expected"/>.</summary>
    public static async ValueTask<Response> SendExpectingAsync(
        this HttpPipeline pipeline, HttpMessage message, ReadOnlyMemory<int> expected, CancellationToken cancellationToken)
    {
        await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        if (!expected.Span.Contains(response.Status))
        {
            throw new RequestFailedException(response, null, StorageErrorParser.Shared);
        }
        return response;
    }
}
