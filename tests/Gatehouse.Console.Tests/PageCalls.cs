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
        page.RequestFailed += (_, request) => Settle(pending, request, $"failed: {request.Failure}");
        page.Response += async (_, response) =>
        {
            string body;
            try
            {
                body = await response.TextAsync();
            }
            catch (Exception e)
            {
                // Whatever the reason (a redirect, a page gone), an event handler must not throw: it would end the test process.
                body = $"(body unread: {e.Message.Split('\n')[0]})";
            }
            var excerpt = body.Length > BodyExcerpt ? body[..BodyExcerpt] + "…" : body;
            Settle(pending, response.Request, $"{response.Status} at +{_clock.Elapsed.TotalSeconds:F2} s {excerpt}");
        };
    }

    private void Settle(Dictionary<IRequest, Call> pending, IRequest request, string outcome)
    {
        lock (_calls)
        {
            if (pending.Remove(request, out var call))
            {
                call.Outcome = outcome;
            }
        }
    }

    /// <summary>The last calls, one a line, each unanswered one said to be so.</summary>
    public string Last()
    {
        lock (_calls)
        {
            return string.Join("\n", _calls.TakeLast(Shown).Select(c =>
                $"  +{c.Sent.TotalSeconds:F2} s {c.Request} → {c.Outcome ?? "no answer yet"}"));
        }
    }
}
