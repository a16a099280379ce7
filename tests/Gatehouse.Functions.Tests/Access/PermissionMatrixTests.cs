using System.Text;
using System.Text.RegularExpressions;
using Gatehouse.Functions.Http;
using Gatehouse.Testing;
using Microsoft.AspNetCore.Routing;

namespace Gatehouse.Functions.Tests.Access;

/// <summary>
/// The permission matrix, over HTTP against the real app: every /v2 endpoint the app maps (read
/// from its endpoint data source, so an endpoint added without a row here fails) times every one
/// of Konnect's 11 control plane roles, assigned on the caller's own control plane and called on
/// it; the roles that pass there are called on another control plane too (<see cref="OnTheOther"/>).
/// Each row says which roles pass; a pass is any answer but 401 and 403 (the bodies are minimal on
/// purpose: 400, 404 or 409 mean the request got past authorization), a refusal is a 403 that
/// names the roles that would have granted it.
/// </summary>
public sealed partial class PermissionMatrixTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Admin = "Admin";
    private const string Viewer = "Viewer";
    private const string Creator = "Creator";
    private const string Cert = "Certificate Admin";
    private const string Cons = "Consumer Admin";
    private const string Dep = "Deployer";
    private const string Svc = "Gateway Service Admin";
    private const string Plug = "Plugin Admin";
    private const string Rte = "Route Admin";
    private const string Sni = "SNI Admin";
    private const string Ups = "Upstream Admin";

    private static readonly string[] s_roles = [Admin, Cert, Cons, Creator, Dep, Svc, Plug, Rte, Sni, Ups, Viewer];

    // Shorthands for the rows: who passes on the caller's own control plane.
    private static readonly string[] s_adminOnly = [Admin];
    private static readonly string[] s_adminOrViewer = [Admin, Viewer];
    private static readonly string[] s_anyControlPlaneRole = [Admin, Viewer, Cert, Cons, Dep, Svc, Plug, Rte, Sni, Ups];

    /// <summary>One line per endpoint, <c>METHOD route pattern</c>, and the roles that pass on their own control plane.</summary>
    private static readonly Dictionary<string, string[]> s_matrix = new()
    {
        ["PUT /v2/control-planes/{controlPlaneId}/declarative-config"] = s_adminOnly,
        ["GET /v2/control-planes/"] = s_roles,
        ["POST /v2/control-planes/"] = [Creator],
        // Gatehouse's overview of what GET /v2/control-planes lists: any account, filtered as the list is.
        ["GET /v2/control-planes-summary/"] = s_roles,
        // The organization admin's alone: no control plane role reads the audit log.
        ["GET /v2/audit-logs/"] = [],
        // Where the audit log is delivered, and the authorization values it is sent with: the organization admin's alone.
        ["POST /v2/audit-log-destinations/"] = [],
        ["GET /v2/audit-log-destinations/"] = [],
        ["GET /v2/audit-log-destinations/{auditLogDestinationId}"] = [],
        ["PATCH /v2/audit-log-destinations/{auditLogDestinationId}"] = [],
        ["DELETE /v2/audit-log-destinations/{auditLogDestinationId}"] = [],
        ["GET /v2/audit-log-webhook/"] = [],
        ["PATCH /v2/audit-log-webhook/"] = [],
        // The public key that verifies entries' signatures: any principal.
        ["GET /v2/audit-log-webhook/jwks.json"] = s_roles,
        ["GET /v2/control-planes/{controlPlaneId}"] = s_anyControlPlaneRole,
        ["PATCH /v2/control-planes/{controlPlaneId}"] = s_adminOnly,
        ["DELETE /v2/control-planes/{controlPlaneId}"] = s_adminOnly,
        ["GET /v2/control-planes/{controlPlaneId}/group-memberships"] = s_adminOrViewer,
        ["PUT /v2/control-planes/{controlPlaneId}/group-memberships"] = s_adminOnly,
        ["POST /v2/control-planes/{controlPlaneId}/group-memberships/add"] = s_adminOnly,
        ["POST /v2/control-planes/{controlPlaneId}/group-memberships/remove"] = s_adminOnly,
        ["GET /v2/control-planes/{controlPlaneId}/group-member-status"] = s_anyControlPlaneRole,
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/services"] = [Admin, Viewer, Dep, Svc],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/services"] = [Admin, Dep, Svc],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/services/{serviceKey}"] = [Admin, Viewer, Dep, Svc],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/services/{serviceKey}"] = [Admin, Dep, Svc],
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/services/{serviceKey}"] = [Admin, Dep, Svc],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/services/{serviceKey}"] = [Admin, Dep, Svc],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}/services"] = [Admin, Viewer, Dep, Svc],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}/services"] = [Admin, Dep, Svc],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}/services/{serviceKey}"] = [Admin, Viewer, Dep, Svc],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}/services/{serviceKey}"] = [Admin, Dep, Svc],
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}/services/{serviceKey}"] = [Admin, Dep, Svc],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}/services/{serviceKey}"] = [Admin, Dep, Svc],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/routes"] = [Admin, Viewer, Dep, Rte],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/routes"] = [Admin, Dep, Rte],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/routes/{routeKey}"] = [Admin, Viewer, Dep, Rte],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/routes/{routeKey}"] = [Admin, Dep, Rte],
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/routes/{routeKey}"] = [Admin, Dep, Rte],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/routes/{routeKey}"] = [Admin, Dep, Rte],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/services/{serviceKey}/routes"] = [Admin, Viewer, Dep, Rte],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/services/{serviceKey}/routes"] = [Admin, Dep, Rte],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/services/{serviceKey}/routes/{routeKey}"] = [Admin, Viewer, Dep, Rte],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/services/{serviceKey}/routes/{routeKey}"] = [Admin, Dep, Rte],
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/services/{serviceKey}/routes/{routeKey}"] = [Admin, Dep, Rte],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/services/{serviceKey}/routes/{routeKey}"] = [Admin, Dep, Rte],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumers"] = [Admin, Viewer, Cons],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/consumers"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}"] = [Admin, Viewer, Cons],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}"] = [Admin, Cons],
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}"] = [Admin, Cons],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumer_groups"] = [Admin, Viewer, Cons],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/consumer_groups"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumer_groups/{consumer_groupKey}"] = [Admin, Viewer, Cons],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/consumer_groups/{consumer_groupKey}"] = [Admin, Cons],
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/consumer_groups/{consumer_groupKey}"] = [Admin, Cons],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/consumer_groups/{consumer_groupKey}"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/plugins"] = [Admin, Viewer, Dep, Svc, Plug, Rte],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/plugins"] = [Admin, Dep, Plug],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/plugins/{pluginKey}"] = [Admin, Viewer, Dep, Svc, Plug, Rte],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/plugins/{pluginKey}"] = [Admin, Dep, Plug],
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/plugins/{pluginKey}"] = [Admin, Dep, Plug],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/plugins/{pluginKey}"] = [Admin, Dep, Plug],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/routes/{routeKey}/plugins"] = [Admin, Viewer, Dep, Svc, Plug, Rte],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/routes/{routeKey}/plugins"] = [Admin, Dep, Plug, Rte],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/routes/{routeKey}/plugins/{pluginKey}"] = [Admin, Viewer, Dep, Svc, Plug, Rte],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/routes/{routeKey}/plugins/{pluginKey}"] = [Admin, Dep, Plug, Rte],
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/routes/{routeKey}/plugins/{pluginKey}"] = [Admin, Dep, Plug, Rte],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/routes/{routeKey}/plugins/{pluginKey}"] = [Admin, Dep, Plug, Rte],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/services/{serviceKey}/plugins"] = [Admin, Viewer, Dep, Svc, Plug, Rte],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/services/{serviceKey}/plugins"] = [Admin, Dep, Svc, Plug],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/services/{serviceKey}/plugins/{pluginKey}"] = [Admin, Viewer, Dep, Svc, Plug, Rte],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/services/{serviceKey}/plugins/{pluginKey}"] = [Admin, Dep, Svc, Plug],
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/services/{serviceKey}/plugins/{pluginKey}"] = [Admin, Dep, Svc, Plug],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/services/{serviceKey}/plugins/{pluginKey}"] = [Admin, Dep, Svc, Plug],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/plugins"] = [Admin, Viewer, Cons, Dep, Svc, Plug, Rte],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/plugins"] = [Admin, Cons, Dep, Plug],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/plugins/{pluginKey}"] = [Admin, Viewer, Cons, Dep, Svc, Plug, Rte],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/plugins/{pluginKey}"] = [Admin, Cons, Dep, Plug],
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/plugins/{pluginKey}"] = [Admin, Cons, Dep, Plug],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/plugins/{pluginKey}"] = [Admin, Cons, Dep, Plug],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumer_groups/{consumer_groupKey}/plugins"] = [Admin, Viewer, Cons, Dep, Svc, Plug, Rte],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/consumer_groups/{consumer_groupKey}/plugins"] = [Admin, Cons, Dep, Plug],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumer_groups/{consumer_groupKey}/plugins/{pluginKey}"] = [Admin, Viewer, Cons, Dep, Svc, Plug, Rte],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/consumer_groups/{consumer_groupKey}/plugins/{pluginKey}"] = [Admin, Cons, Dep, Plug],
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/consumer_groups/{consumer_groupKey}/plugins/{pluginKey}"] = [Admin, Cons, Dep, Plug],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/consumer_groups/{consumer_groupKey}/plugins/{pluginKey}"] = [Admin, Cons, Dep, Plug],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/upstreams"] = [Admin, Viewer, Ups],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/upstreams"] = [Admin, Ups],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/upstreams/{upstreamKey}"] = [Admin, Viewer, Ups],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/upstreams/{upstreamKey}"] = [Admin, Ups],
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/upstreams/{upstreamKey}"] = [Admin, Ups],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/upstreams/{upstreamKey}"] = [Admin, Ups],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}/upstreams"] = [Admin, Viewer, Ups],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}/upstreams"] = [Admin, Ups],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}/upstreams/{upstreamKey}"] = [Admin, Viewer, Ups],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}/upstreams/{upstreamKey}"] = [Admin, Ups],
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}/upstreams/{upstreamKey}"] = [Admin, Ups],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}/upstreams/{upstreamKey}"] = [Admin, Ups],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/targets"] = [Admin, Viewer, Ups],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/targets/{targetKey}"] = [Admin, Viewer, Ups],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/targets/{targetKey}"] = [Admin, Ups],
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/targets/{targetKey}"] = [Admin, Ups],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/targets/{targetKey}"] = [Admin, Ups],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/upstreams/{upstreamKey}/targets"] = [Admin, Viewer, Ups],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/upstreams/{upstreamKey}/targets"] = [Admin, Ups],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/upstreams/{upstreamKey}/targets/{targetKey}"] = [Admin, Viewer, Ups],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/upstreams/{upstreamKey}/targets/{targetKey}"] = [Admin, Ups],
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/upstreams/{upstreamKey}/targets/{targetKey}"] = [Admin, Ups],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/upstreams/{upstreamKey}/targets/{targetKey}"] = [Admin, Ups],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/certificates"] = [Admin, Viewer, Cert, Sni, Ups],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/certificates"] = [Admin, Cert],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}"] = [Admin, Viewer, Cert, Sni, Ups],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}"] = [Admin, Cert],
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}"] = [Admin, Cert],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}"] = [Admin, Cert],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/snis"] = [Admin, Viewer, Sni],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/snis"] = [Admin, Sni],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/snis/{sniKey}"] = [Admin, Viewer, Sni],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/snis/{sniKey}"] = [Admin, Sni],
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/snis/{sniKey}"] = [Admin, Sni],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/snis/{sniKey}"] = [Admin, Sni],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}/snis"] = [Admin, Viewer, Sni],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}/snis"] = [Admin, Sni],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}/snis/{sniKey}"] = [Admin, Viewer, Sni],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}/snis/{sniKey}"] = [Admin, Sni],
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}/snis/{sniKey}"] = [Admin, Sni],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/certificates/{certificateKey}/snis/{sniKey}"] = [Admin, Sni],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/ca_certificates"] = [Admin, Viewer, Cert],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/ca_certificates"] = [Admin, Cert],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/ca_certificates/{ca_certificateKey}"] = [Admin, Viewer, Cert],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/ca_certificates/{ca_certificateKey}"] = [Admin, Cert],
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/ca_certificates/{ca_certificateKey}"] = [Admin, Cert],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/ca_certificates/{ca_certificateKey}"] = [Admin, Cert],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/vaults"] = s_adminOrViewer,
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/vaults"] = s_adminOnly,
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/vaults/{vaultKey}"] = s_adminOrViewer,
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/vaults/{vaultKey}"] = s_adminOnly,
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/vaults/{vaultKey}"] = s_adminOnly,
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/vaults/{vaultKey}"] = s_adminOnly,
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/key-sets"] = s_adminOrViewer,
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/key-sets"] = s_adminOnly,
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/key-sets/{key_setKey}"] = s_adminOrViewer,
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/key-sets/{key_setKey}"] = s_adminOnly,
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/key-sets/{key_setKey}"] = s_adminOnly,
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/key-sets/{key_setKey}"] = s_adminOnly,
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/keys"] = s_adminOrViewer,
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/keys"] = s_adminOnly,
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/keys/{keyKey}"] = s_adminOrViewer,
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/keys/{keyKey}"] = s_adminOnly,
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/keys/{keyKey}"] = s_adminOnly,
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/keys/{keyKey}"] = s_adminOnly,
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/key-sets/{key_setKey}/keys"] = s_adminOrViewer,
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/key-sets/{key_setKey}/keys"] = s_adminOnly,
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/key-sets/{key_setKey}/keys/{keyKey}"] = s_adminOrViewer,
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/key-sets/{key_setKey}/keys/{keyKey}"] = s_adminOnly,
        ["PATCH /v2/control-planes/{controlPlaneId}/core-entities/key-sets/{key_setKey}/keys/{keyKey}"] = s_adminOnly,
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/key-sets/{key_setKey}/keys/{keyKey}"] = s_adminOnly,
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/key-auths"] = [Admin, Viewer, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/key-auths/{keyauth_credentialKey}"] = [Admin, Viewer, Cons],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/key-auths/{keyauth_credentialKey}"] = [Admin, Cons],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/key-auths/{keyauth_credentialKey}"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/key-auth"] = [Admin, Viewer, Cons],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/key-auth"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/key-auth/{keyauth_credentialKey}"] = [Admin, Viewer, Cons],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/key-auth/{keyauth_credentialKey}"] = [Admin, Cons],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/key-auth/{keyauth_credentialKey}"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/basic-auths"] = [Admin, Viewer, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/basic-auths/{basicauth_credentialKey}"] = [Admin, Viewer, Cons],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/basic-auths/{basicauth_credentialKey}"] = [Admin, Cons],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/basic-auths/{basicauth_credentialKey}"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/basic-auth"] = [Admin, Viewer, Cons],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/basic-auth"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/basic-auth/{basicauth_credentialKey}"] = [Admin, Viewer, Cons],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/basic-auth/{basicauth_credentialKey}"] = [Admin, Cons],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/basic-auth/{basicauth_credentialKey}"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/hmac-auths"] = [Admin, Viewer, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/hmac-auths/{hmacauth_credentialKey}"] = [Admin, Viewer, Cons],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/hmac-auths/{hmacauth_credentialKey}"] = [Admin, Cons],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/hmac-auths/{hmacauth_credentialKey}"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/hmac-auth"] = [Admin, Viewer, Cons],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/hmac-auth"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/hmac-auth/{hmacauth_credentialKey}"] = [Admin, Viewer, Cons],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/hmac-auth/{hmacauth_credentialKey}"] = [Admin, Cons],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/hmac-auth/{hmacauth_credentialKey}"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/jwts"] = [Admin, Viewer, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/jwts/{jwt_secretKey}"] = [Admin, Viewer, Cons],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/jwts/{jwt_secretKey}"] = [Admin, Cons],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/jwts/{jwt_secretKey}"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/jwt"] = [Admin, Viewer, Cons],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/jwt"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/jwt/{jwt_secretKey}"] = [Admin, Viewer, Cons],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/jwt/{jwt_secretKey}"] = [Admin, Cons],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/jwt/{jwt_secretKey}"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/acls"] = [Admin, Viewer, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/acls/{aclKey}"] = [Admin, Viewer, Cons],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/acls/{aclKey}"] = [Admin, Cons],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/acls/{aclKey}"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/acls"] = [Admin, Viewer, Cons],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/acls"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/acls/{aclKey}"] = [Admin, Viewer, Cons],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/acls/{aclKey}"] = [Admin, Cons],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/acls/{aclKey}"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/mtls-auths"] = [Admin, Viewer, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/mtls-auths/{mtls_auth_credentialKey}"] = [Admin, Viewer, Cons],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/mtls-auths/{mtls_auth_credentialKey}"] = [Admin, Cons],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/mtls-auths/{mtls_auth_credentialKey}"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/mtls-auth"] = [Admin, Viewer, Cons],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/mtls-auth"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/mtls-auth/{mtls_auth_credentialKey}"] = [Admin, Viewer, Cons],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/mtls-auth/{mtls_auth_credentialKey}"] = [Admin, Cons],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/mtls-auth/{mtls_auth_credentialKey}"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumer_groups/{consumer_groupKey}/consumers"] = [Admin, Viewer, Cons],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/consumer_groups/{consumer_groupKey}/consumers"] = [Admin, Cons],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/consumer_groups/{consumer_groupKey}/consumers"] = [Admin, Cons],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/consumer_groups/{consumer_groupKey}/consumers/{consumerKey}"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/consumer_groups"] = [Admin, Viewer, Cons],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/consumer_groups"] = [Admin, Cons],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/consumer_groups"] = [Admin, Cons],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/consumers/{consumerKey}/consumer_groups/{consumer_groupKey}"] = [Admin, Cons],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/v1/available-plugins"] = s_anyControlPlaneRole,
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/schemas/plugins/{pluginName}"] = s_anyControlPlaneRole,
        ["GET /v2/control-planes/{controlPlaneId}/schemas/core-entities/plugins/{pluginName}"] = s_anyControlPlaneRole,
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/schemas/{entityName}/validate"] = s_anyControlPlaneRole,
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/invalid-plugins"] = [Admin, Viewer, Dep, Svc, Plug, Rte],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/plugin-schemas/"] = [Admin, Viewer, Dep, Svc, Plug, Rte],
        ["POST /v2/control-planes/{controlPlaneId}/core-entities/plugin-schemas/"] = [Admin, Dep, Svc, Plug, Rte],
        ["GET /v2/control-planes/{controlPlaneId}/core-entities/plugin-schemas/{name}"] = [Admin, Viewer, Dep, Svc, Plug, Rte],
        ["PUT /v2/control-planes/{controlPlaneId}/core-entities/plugin-schemas/{name}"] = [Admin, Dep, Svc, Plug, Rte],
        ["DELETE /v2/control-planes/{controlPlaneId}/core-entities/plugin-schemas/{name}"] = [Admin, Dep, Svc, Plug, Rte],
        ["GET /v2/control-planes/{controlPlaneId}/expected-config-hash"] = s_adminOrViewer,
        ["GET /v2/control-planes/{controlPlaneId}/group-status"] = s_adminOrViewer,
        ["GET /v2/control-planes/{controlPlaneId}/declarative-config"] = s_adminOrViewer,
        ["GET /v2/control-planes/{controlPlaneId}/config-versions/"] = s_adminOrViewer,
        ["GET /v2/control-planes/{controlPlaneId}/config-versions/{hash}"] = s_adminOrViewer,
        ["GET /v2/control-planes/{controlPlaneId}/config-versions/{hash}/diff/{other}"] = s_adminOrViewer,
        ["POST /v2/control-planes/{controlPlaneId}/config-versions/{hash}/restore"] = s_adminOnly,
        ["GET /v2/control-planes/{controlPlaneId}/dp-client-certificates/"] = s_adminOrViewer,
        ["POST /v2/control-planes/{controlPlaneId}/dp-client-certificates/"] = s_adminOnly,
        ["POST /v2/control-planes/{controlPlaneId}/dp-client-certificates/generate"] = s_adminOnly,
        ["GET /v2/control-planes/{controlPlaneId}/dp-client-certificates/{certificateId}"] = s_adminOrViewer,
        ["PUT /v2/control-planes/{controlPlaneId}/dp-client-certificates/{certificateId}"] = s_adminOnly,
        ["DELETE /v2/control-planes/{controlPlaneId}/dp-client-certificates/{certificateId}"] = s_adminOnly,
        // Mints a certificate as generate does: the same permission.
        ["POST /v2/control-planes/{controlPlaneId}/dp-quickstart/"] = s_adminOnly,
        ["GET /v2/control-planes/{controlPlaneId}/nodes/"] = s_adminOrViewer,
        ["GET /v2/control-planes/{controlPlaneId}/nodes/{nodeId}"] = s_adminOrViewer,
        ["DELETE /v2/control-planes/{controlPlaneId}/nodes/{nodeId}"] = s_adminOnly,
        ["GET /v2/control-planes/{controlPlaneId}/analytics/"] = s_adminOrViewer,
        ["PUT /v2/control-planes/{controlPlaneId}/rollout-policy/"] = s_adminOnly,
        ["GET /v2/control-planes/{controlPlaneId}/rollout-policy/"] = s_adminOrViewer,
        ["DELETE /v2/control-planes/{controlPlaneId}/rollout-policy/"] = s_adminOnly,
        ["GET /v2/control-planes/{controlPlaneId}/rollout/"] = s_adminOrViewer,
        ["POST /v2/control-planes/{controlPlaneId}/rollout/promote"] = s_adminOnly,
        ["POST /v2/control-planes/{controlPlaneId}/rollout/abort"] = s_adminOnly,
    };

    [Fact]
    public async Task Every_v2_endpoint_grants_exactly_the_roles_its_row_names()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v2/", StringComparison.Ordinal) == true && e.Metadata.GetMetadata<UnmatchedRoute>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Distinct()
            .ToList();
        var missing = endpoints.Where(e => !s_matrix.ContainsKey(e)).ToList();
        Assert.True(missing.Count == 0, "endpoints without a row in the permission matrix:\n" + string.Join('\n', missing));
        var stale = s_matrix.Keys.Where(k => !endpoints.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "rows for endpoints the app does not map:\n" + string.Join('\n', stale));

        var own = await Identities.CreateControlPlaneAsync(app, "matrix-own");
        var other = await Identities.CreateControlPlaneAsync(app, "matrix-other");
        var callers = new Dictionary<string, HttpClient>();
        foreach (var role in s_roles)
        {
            callers[role] = (await SystemAccounts.WithRolesAsync(app, $"matrix-{role.Replace(' ', '-')}", (role, own))).Client;
        }
        try
        {
            var failures = new List<string>();
            // Deleting a control plane goes last, so that the Admin row removes its own control plane only when nothing else needs it.
            foreach (var endpoint in endpoints.OrderBy(e => e == DeleteControlPlane))
            {
                var (method, pattern) = (endpoint[..endpoint.IndexOf(' ')], endpoint[(endpoint.IndexOf(' ') + 1)..]);
                var onControlPlane = pattern.Contains("{controlPlaneId}", StringComparison.Ordinal);
                var calls = s_roles.Select(role => (role, cp: own)).Concat(onControlPlane ? OnTheOther(endpoint).Select(role => (role, cp: other)) : []).ToList();
                foreach (var (role, cp) in calls.OrderBy(c => c.role == Admin && endpoint == DeleteControlPlane))
                {
                    var expectPass = s_matrix[endpoint].Contains(role) && (!onControlPlane || cp == own);
                    using var request = new HttpRequestMessage(new HttpMethod(method), Url(pattern, cp));
                    if (method is "POST" or "PUT" or "PATCH")
                    {
                        request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                    }
                    using var response = await callers[role].SendAsync(request, Ct);
                    var status = (int)response.StatusCode;
                    var where = $"{role} on {(cp == own ? "own" : "other")}: {endpoint} answered {status}";
                    if (expectPass && !s_passed.Contains(status))
                    {
                        failures.Add($"{where}, expected to pass; {await response.Content.ReadAsStringAsync(Ct)}");
                    }
                    else if (!expectPass && status != 403)
                    {
                        failures.Add($"{where}, expected 403");
                    }
                    else if (!expectPass && onControlPlane)
                    {
                        // The refusal names the control plane and every role that would have granted the request.
                        var body = await response.Content.ReadAsStringAsync(Ct);
                        var named = s_matrix[endpoint].Where(r => r is not Admin and not Creator);
                        if (!body.Contains($"on control plane {cp}", StringComparison.Ordinal) || named.Any(r => !body.Contains(r, StringComparison.Ordinal)))
                        {
                            failures.Add($"{where}: the refusal does not name {string.Join(", ", named)} on control plane {cp}: {body}");
                        }
                    }
                }
            }
            Assert.True(failures.Count == 0, $"{failures.Count} cells of the matrix differ:\n" + string.Join('\n', failures));
        }
        finally
        {
            foreach (var client in callers.Values)
            {
                client.Dispose();
            }
        }
    }


    private const string DeleteControlPlane = "DELETE /v2/control-planes/{controlPlaneId}";

    /// <summary>
    /// The roles called on the other control plane, where every one is refused: each role the row
    /// grants on the caller's own (the cells a scoping mistake would open), and one it does not. A role
    /// refused on its own control plane is refused by the same check on any other, so calling all
    /// eleven there again would double the matrix's requests for no cell it can get wrong alone.
    /// </summary>
    private static IEnumerable<string> OnTheOther(string endpoint) =>
        s_matrix[endpoint].Concat(s_roles.Where(r => !s_matrix[endpoint].Contains(r)).Take(1));

    /// <summary>What a request that got past authorization may answer to a minimal body or an unknown key.</summary>
    private static readonly HashSet<int> s_passed = [200, 201, 204, 400, 404, 409];

    /// <summary>The pattern with the control plane filled in, ids as new UUIDs and names as a name nothing has.</summary>
    private static string Url(string pattern, string controlPlane) =>
        RouteParameter().Replace(pattern, match => match.Groups[1].Value switch
        {
            "controlPlaneId" => controlPlane,
            var name when name.EndsWith("Id", StringComparison.Ordinal) => Guid.NewGuid().ToString(),
            "pluginName" => "key-auth",
            "entityName" => "services",
            _ => "matrix-absent",
        });

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
