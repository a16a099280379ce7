using Microsoft.Net.Http.Headers;

namespace Gatehouse.Functions.Http;

/// <summary>
/// RFC 9110 §13.1.2 <c>If-None-Match</c> on a GET of a representation that exists: the condition
/// is false, and the answer 304, when the field is <c>*</c> (it matches any current
/// representation) or lists an entity tag that matches the current one by weak comparison
/// (<c>W/"h"</c> matches <c>"h"</c>).
/// </summary>
internal static class IfNoneMatch
{
    public static bool Matches(HttpRequest request, string currentETag)
    {
        var current = EntityTagHeaderValue.Parse(currentETag);
        return request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false));
    }
}
