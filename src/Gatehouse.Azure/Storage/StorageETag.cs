using Azure;

namespace Gatehouse.Azure.Storage;

internal static class StorageETag
{
    /// <summary>
    /// Normalizes an ETag written quoted (headers), bare (Blob listings) or weak (Table) to the
    /// form <c>Response.Headers.ETag</c> gives, so ETags from any source compare equal:
    /// strong ones unquoted, weak ones whole.
    /// </summary>
    public static ETag Parse(string? value) => value switch
    {
        null or "" => default,
        ['W', '/', ..] => new ETag(value),
        ['"', .., '"'] when value.Length >= 2 => new ETag(value[1..^1]),
        _ => new ETag(value),
    };
}
