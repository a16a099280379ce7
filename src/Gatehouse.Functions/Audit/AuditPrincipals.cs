using Gatehouse.Core.Access;
using Gatehouse.Core.Audit;

namespace Gatehouse.Functions.Audit;

/// <summary>The one place an authenticated <see cref="Principal"/> becomes the principal an audit entry names.</summary>
internal static class AuditPrincipals
{
    public static AuditPrincipal Of(Principal? principal) => principal switch
    {
        null => AuditPrincipal.Anonymous,
        { Type: PrincipalType.SystemAccount } => new AuditPrincipal("system_account", principal.Id?.ToString("D"), principal.Description),
        { Type: PrincipalType.User } => new AuditPrincipal("user", principal.Id?.ToString("D"), principal.Description),
        _ => new AuditPrincipal("organization_admin", null, principal.Description),
    };
}
