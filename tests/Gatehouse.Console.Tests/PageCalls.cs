using System.Diagnostics;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests;

/// <summary>
/// The page's calls to the API (fetch and XHR), in the order it made them: when each left, what
/// came back and the start of its body, or that nothing came back. A failed wait for a list to
/// show a row says this way whether the list's read was never made, answered without the row, or
/// still waiting. Beside them, the page's own files (documents, scripts, styles) in one line: a
/// list's read made late is most often a page still loading and running Kong's packages.
/// </summary>
internal sealed class PageCalls
{
    private const int BodyExcerpt = 160;
    private const int Shown = 15;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<Call> _calls = [];
    private readonly List<Call> _files = [];

    private sealed class Call(string request, TimeSpan sent)
    {
        public string Request { get; } = request;

        public TimeSpan Sent { get; } = sent;

        public string? Outcome { get; set; }

        public TimeSpan? Settled { get; set; }

        /// <summary>The answer, whose body is read only when a failure shows it: reading every body slowed every test.</summary>
        public IResponse? Response { get; set; }
    }

    public PageCalls(IPage page)
    {
        var pending = new Dictionary<IRequest, Call>();
        var loading = new Dictionary<IRequest, Call>();
        page.Request += (_, request) =>
        {
            var (list, open) = request.ResourceType switch
            {
                "fetch" or "xhr" => (_calls, pending),
                "document" or "script" or "stylesheet" => (_files, loading),
                _ => (null, null),
            };
            if (list is null || open is null)
            {
                return;
            }
            var call = new Call($"{request.Method} {new Uri(request.Url).PathAndQuery}", _clock.Elapsed);
            lock (_calls)
            {
                list.Add(call);
                open[request] = call;
            }
        };
        page.RequestFailed += (_, request) =>
        {
            Settle(pending, request, $"failed: {request.Failure}", null);
            Settle(loading, request, "failed", null);
        };
        page.Response += (_, response) => Settle(pending, response.Request, $"{response.Status} at +{_clock.Elapsed.TotalSeconds:F2} s", response);
        // A file counts as loaded once its whole body has come, not at its headers.
        page.RequestFinished += (_, request) => Settle(loading, request, "loaded", null);
    }

    private void Settle(Dictionary<IRequest, Call> pending, IRequest request, string outcome, IResponse? response)
    {
        lock (_calls)
        {
            if (pending.Remove(request, out var call))
            {
                (call.Outcome, call.Response, call.Settled) = (outcome, response, _clock.Elapsed);
            }
        }
    }

    /// <summary>The last calls, one a line, with the start of each answer's body; each unanswered one said to be so.</summary>
    public async Task<string> LastAsync()
    {
        List<Call> last;
        string files;
        lock (_calls)
        {
            last = [.. _calls.TakeLast(Shown)];
            files = FilesLine();
        }
        var lines = new List<string> { files };
        foreach (var call in last)
        {
            var body = call.Response is { } response ? " " + await BodyAsync(response) : "";
            lines.Add($"  +{call.Sent.TotalSeconds:F2} s {call.Request} → {call.Outcome ?? "no answer yet"}{body}");
        }
        return string.Join("\n", lines);
    }

    private string FilesLine()
    {
        if (_files.Count == 0)
        {
            return "  the page's files: none requested";
        }
        var loading = _files.Where(file => file.Settled is null).Select(file => file.Request).ToList();
        var settled = _files.Where(file => file.Settled is not null).MaxBy(file => file.Settled);
        var last = settled is null ? "none loaded" : $"the last loaded at +{settled.Settled!.Value.TotalSeconds:F2} s ({settled.Request}, {settled.Outcome})";
        var still = loading.Count == 0 ? "none still loading" : $"still loading: {string.Join(", ", loading.Take(5))}";
        return $"  the page's files: {_files.Count} requested from +{_files[0].Sent.TotalSeconds:F2} s to +{_files[^1].Sent.TotalSeconds:F2} s, {last}; {still}";
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
