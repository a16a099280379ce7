namespace Gatehouse.Sidecar.Hub;

internal static class ExceptionChain
{
    /// <summary>An exception's message and those of its causes, on one line: what a reconnect log says went wrong.</summary>
    public static string Describe(Exception? e)
    {
        if (e is null)
        {
            return "closed without an error";
        }
        var messages = new List<string>();
        for (var current = e; current is not null && messages.Count < 4; current = current.InnerException)
        {
            messages.Add(current.Message);
        }
        return string.Join(" ← ", messages.Distinct());
    }
}
