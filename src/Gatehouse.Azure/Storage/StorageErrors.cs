using Azure;

namespace Gatehouse.Azure.Storage;

internal static class StorageErrors
{
    /// <summary>Whether a (non-thrown) error response carries the given storage error code.</summary>
    public static bool Is(Response response, string errorCode) =>
        StorageErrorParser.Shared.TryParse(response, out var error, out _) && error?.Code == errorCode;
}
