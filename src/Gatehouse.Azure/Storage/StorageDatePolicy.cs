using Azure.Core;
using Azure.Core.Pipeline;

namespace Gatehouse.Azure.Storage;

/// <summary>
/// Stamps <c>x-ms-date</c> on every attempt. It runs per retry, before signing, because the
/// service rejects a signature whose date is more than 15 minutes off and a retry may come late.
/// </summary>
internal sealed class StorageDatePolicy : HttpPipelineSynchronousPolicy
{
    public static StorageDatePolicy Shared { get; } = new();

    public override void OnSendingRequest(HttpMessage message) =>
        message.Request.Headers.SetValue(HttpHeader.Names.XMsDate, DateTimeOffset.UtcNow.ToString("r", System.Globalization.CultureInfo.InvariantCulture));
}
