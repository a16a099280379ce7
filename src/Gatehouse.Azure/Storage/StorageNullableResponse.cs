using Azure;

namespace Gatehouse.Azure.Storage;

/// <summary>A response that may carry no value: the answer of the <c>...IfExists</c> operations.</summary>
internal sealed class StorageNullableResponse<T>(T? value, Response response) : NullableResponse<T>
{
    public override bool HasValue => value is not null;

    public override T Value => value ?? throw new InvalidOperationException(
        $"The service answered {response.Status}: there is no value. Check HasValue first.");

    public override Response GetRawResponse() => response;
}
