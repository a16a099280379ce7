using System.Text.RegularExpressions;

namespace Gatehouse.Core.Audit;

/// <summary>
/// No token is ever written to the audit log. What an entry copies from the request (its path and
/// User-Agent) has token-shaped text replaced; the admin token, which has no shape, is replaced
/// wherever it appears.
/// </summary>
public sealed partial class AuditRedaction(string? adminToken)
{
    public const string Redacted = "[redacted]";

    public string? Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }
        var cleaned = TokenShaped().Replace(text, match => match.Groups["prefix"].Value + Redacted);
        return adminToken is { Length: > 0 } ? cleaned.Replace(adminToken, Redacted, StringComparison.Ordinal) : cleaned;
    }

    // Konnect's token prefixes: system account (spat_), personal (kpat_); and bearer JWTs (three base64url parts).
    [GeneratedRegex(@"(?<prefix>\b(?:spat|kpat)_)[A-Za-z0-9]+|\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant)]
    private static partial Regex TokenShaped();
}
