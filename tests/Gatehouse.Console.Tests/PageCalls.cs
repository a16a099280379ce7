using System.Diagnostics;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

/// <summary>
/// The page's calls to the API (fetch and XHR), in the order it made them: when each left, what
/// came back and the start of its body, or that nothing came back. A failed wait for a list to
/// show a row says this way whether the list's read was never made, answered without the row, or
/// still waiting.
/// </summary>
internal sealed class PageCalls
{
    private const int BodyExcerpt = 160;
    private const int Shown = 15;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<Call> _calls = [];

    private sealed class Call(string request, TimeSpan sent)
    {
        public string Request { get; } = request;

        public TimeSpan Sent { get; } = sent;

        public string? Outcome { get; set; }

        /// <summary>The answer, whose body is read only when a failure shows it: reading every body slowed every test.</summary>
        public IResponse? Response { get; set; }
    }

    public PageCalls(IPage page)
    {
        var pending = new Dictionary<IRequest, Call>();
        page.Request += (_, request) =>
        {
            if (request.ResourceType is not ("fetch" or "xhr"))
            {
                return;
            }
            var call = new Call($"{request.Method} {new Uri(request.Url).PathAndQuery}", _clock.Elapsed);
            lock (_calls)
            {
                _calls.Add(call);
                pending[request] = call;
            }
        };
        page.RequestFailed += (_, request) => Settle(pending, request, $"failed: {request.Failure}", null);
        page.Response += (_, response) => Settle(pending, response.Request, $"{response.Status} at +{_clock.Elapsed.TotalSeconds:F2} s", response);
    }

    private void Settle(Dictionary<IRequest, Call> pending, IRequest request, string outcome, IResponse? response)
    {
        lock (_calls)
        {
            if (pending.Remove(request, out var call))
            {
                (call.Outcome, call.Response) = (outcome, response);
            }
        }
    }

    /// <summary>The last calls, one a line, with the start of each answer's body; each unanswered one said to be so.</summary>
    public async Task<string> LastAsync()
    {
        List<Call> last;
        lock (_calls)
        {
            last = [.. _calls.TakeLast(Shown)];
        }
        var lines = new List<string>();
        foreach (var call in last)
        {
            var body = call.Response is { } response ? " " + await BodyAsync(response) : "";
            lines.Add($"  +{call.Sent.TotalSeconds:F2} s {call.Request} → {call.Outcome ?? "no answer yet"}{body}");
        }
        return string.Join("\n", lines);
    }

    private static async Task<string> BodyAsync(IResponse response)
    {
        try
        {
            var body = await response.TextAsync().WaitAsync(TimeSpan.FromSeconds(2));
            return body.Length > BodyExcerpt ? body[..BodyExcerpt] + "…" : body;
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            return $"(body unread: {e.Message.Split('\n')[0]})";
        }
    }
}
