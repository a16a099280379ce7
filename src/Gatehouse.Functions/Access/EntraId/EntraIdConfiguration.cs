using System.Net;

namespace Gatehouse.Functions.Access.EntraId;

/// <summary>
/// Which Microsoft Entra ID tenant's people may sign in, read at start so that a misconfiguration
/// stops the app with the reason: <c>Gatehouse__EntraId__TenantId</c> (the tenant's id) and
/// <c>Gatehouse__EntraId__Audience</c> (the application ID URI or client id the tokens are issued
/// for). Neither set: sign-in with Entra ID is off, and only the admin token and Gatehouse's own
/// tokens authenticate. <c>Gatehouse__EntraId__Instance</c> (<c>https://login.microsoftonline.com/</c>)
/// changes the authority, for sovereign clouds; an <c>http</c> instance is accepted on a loopback
/// address only, which is where the tests' stand-in issuer listens.
/// </summary>
internal sealed record EntraIdConfiguration(string TenantId, string Audience, Uri Instance)
{
    public const string SectionName = "Gatehouse:EntraId";

    public static readonly Uri PublicCloud = new("https://login.microsoftonline.com/");

    /// <summary>Entra's v2.0 issuer for the tenant: what <c>iss</c> must say.</summary>
    public string Issuer => new Uri(Instance, $"{TenantId}/v2.0").ToString();

    /// <summary>Where the tenant's OpenID Connect metadata (and through it, its signing keys) is published.</summary>
    public Uri MetadataAddress => new(Instance, $"{TenantId}/v2.0/.well-known/openid-configuration");

    /// <summary>Whether the metadata may be fetched over plain http: only from this machine.</summary>
    public bool AllowsHttp => Instance.Scheme == Uri.UriSchemeHttp;

    /// <summary>Null when sign-in with Entra ID is not configured.</summary>
    public static EntraIdConfiguration? Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var tenant = section["TenantId"];
        var audience = section["Audience"];
        var instance = section["Instance"];
        if (string.IsNullOrWhiteSpace(tenant) && string.IsNullOrWhiteSpace(audience))
        {
            return null;
        }
        if (!Guid.TryParseExact(tenant, "D", out var tenantId))
        {
            throw new InvalidOperationException(
                $"Gatehouse__EntraId__TenantId must be the tenant's id (a GUID) when Gatehouse__EntraId__Audience is set, not '{tenant}'.");
        }
        if (string.IsNullOrWhiteSpace(audience))
        {
            throw new InvalidOperationException(
                "Gatehouse__EntraId__Audience must be set with Gatehouse__EntraId__TenantId: the application ID URI (api://…) or client id that tokens are issued for.");
        }
        var authority = PublicCloud;
        if (!string.IsNullOrWhiteSpace(instance))
        {
            if (!Uri.TryCreate(instance.EndsWith('/') ? instance : instance + "/", UriKind.Absolute, out var parsed)
                || !(parsed.Scheme == Uri.UriSchemeHttps || (parsed.Scheme == Uri.UriSchemeHttp && IsLoopback(parsed))))
            {
                throw new InvalidOperationException(
                    $"Gatehouse__EntraId__Instance must be an https URI such as {PublicCloud} (http only on a loopback address), not '{instance}'.");
            }
            authority = parsed;
        }
        return new(tenantId.ToString("D"), audience.Trim(), authority);
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address));
}

/// <summary>Whether, and for which tenant and audience, people sign in with Entra ID; for the start-up log.</summary>
internal sealed record EntraIdSetting(EntraIdConfiguration? Configuration)
{
    public string Description => Configuration is { } c ? $"Entra ID tenant {c.TenantId} for audience {c.Audience}" : "off";
}
