using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// What the fuzz tests of the <c>{"message"}</c>-dialect endpoints (DP certificates, the data
/// plane API) check of every answer, and the random text they send.
/// </summary>
internal static class MessageFuzzing
{
    /// <summary>Counts the status; records a failure for a 5xx, or a 4xx whose body is not exactly <c>{"message": string}</c>.</summary>
    public static async Task RecordAsync(HttpResponseMessage response, string request, byte[] body, List<string> failures, Dictionary<int, int> statuses)
    {
        var status = (int)response.StatusCode;
        statuses[status] = statuses.GetValueOrDefault(status) + 1;
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        if (status >= 500)
        {
            failures.Add($"{request} {Truncate(Encoding.UTF8.GetString(body))} -> {status} {text}");
        }
        else if (status >= 400 && (response.Content.Headers.ContentType?.MediaType != "application/json"
            || JsonNode.Parse(text) is not JsonObject { Count: 1 } error || error["message"]?.GetValueKind() != JsonValueKind.String))
        {
            failures.Add($"{request} -> {status} is not a {{\"message\"}} body: {Truncate(text)}");
        }
    }

    public static string RandomString(Random random, int length)
    {
        const string alphabet = "abcxyz019_-.~/%:*?#[]{}\"'\\ é✓";
        return new string([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);
    }

    public static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
