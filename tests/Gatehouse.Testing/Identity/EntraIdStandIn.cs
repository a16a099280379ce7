using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Testing.Identity;

/// <summary>
/// A Microsoft Entra ID tenant's token issuer, for tests: Entra cannot run here, so this publishes
/// what a tenant publishes for its v2.0 endpoint (OpenID Connect discovery at
/// <c>/{tenant}/v2.0/.well-known/openid-configuration</c> and the signing keys at
/// <c>/{tenant}/discovery/v2.0/keys</c>, as login.microsoftonline.com lays them out) on a loopback port,
/// and mints access tokens as Entra does: RS256, <c>kid</c> in the header, <c>iss</c>
/// <c>{instance}{tenant}/v2.0</c>, <c>aud</c>, <c>tid</c>, <c>oid</c>, <c>preferred_username</c>,
/// <c>name</c> and <c>groups</c> (object ids). Keys can be rolled, as Entra rolls them. People sign
/// in through its authorization endpoint as a browser does (see EntraIdStandIn.SignIn.cs).
/// </summary>
public sealed partial class EntraIdStandIn : IAsyncDisposable
{
    private readonly List<RsaSecurityKey> _published = [];
    private WebApplication? _app;
    private Uri? _instance;
    private int _metadataReads;

    public EntraIdStandIn(Guid? tenantId = null)
    {
        TenantId = tenantId ?? Guid.NewGuid();
        _published.Add(NewKey());
    }

    public Guid TenantId { get; }

    /// <summary>The authority's root, <c>http://127.0.0.1:{port}/</c>: what <c>Gatehouse__EntraId__Instance</c> is set to.</summary>
    public Uri Instance => _instance ?? throw new InvalidOperationException("The stand-in has not been started.");

    public string Issuer => new Uri(Instance, $"{TenantId:D}/v2.0").ToString();

    /// <summary>How many times the discovery document was read.</summary>
    public int MetadataReads => Volatile.Read(ref _metadataReads);

    /// <summary>A new signing key, published from now on beside the old ones; tokens are signed with it.</summary>
    public void RollKey()
    {
        lock (_published)
        {
            _published.Add(NewKey());
        }
    }

    /// <summary>A key the tenant never publishes.</summary>
    public static RsaSecurityKey UnpublishedKey() => NewKey();

    /// <summary>An access token for the person, as the tenant would issue it for <paramref name="audience"/>.</summary>
    public string Mint(string audience, Guid objectId, string? email = null, IEnumerable<Guid>? groups = null,
        DateTimeOffset? expires = null, DateTimeOffset? issuedAt = null, string? issuer = null, RsaSecurityKey? key = null, Guid? tenantId = null)
    {
        var now = issuedAt ?? DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["tid"] = (tenantId ?? TenantId).ToString("D"),
            ["oid"] = objectId.ToString("D"),
            ["ver"] = "2.0",
            ["scp"] = "access_as_user",
        };
        if (email is not null)
        {
            claims["preferred_username"] = email;
            claims["name"] = email.Split('@')[0];
        }
        if (groups is not null)
        {
            claims["groups"] = groups.Select(g => g.ToString("D")).ToArray();
        }
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (expires ?? now.AddHours(1)).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key ?? CurrentKey, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync(cancellationToken);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _instance = new Uri(address.TrimEnd('/') + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    private RsaSecurityKey CurrentKey
    {
        get
        {
            lock (_published)
            {
                return _published[^1];
            }
        }
    }

    private Task HandleAsync(HttpContext context)
    {
        var tenant = TenantId.ToString("D");
        var path = context.Request.Path.Value;
        if (path == $"/{tenant}/oauth2/v2.0/authorize")
        {
            return AuthorizeAsync(context);
        }
        if (path == $"/{tenant}/oauth2/v2.0/token")
        {
            return RedeemAsync(context);
        }
        JsonNode? body = null;
        if (path == $"/{tenant}/v2.0/.well-known/openid-configuration")
        {
            Interlocked.Increment(ref _metadataReads);
            body = new JsonObject
            {
                ["token_endpoint"] = new Uri(Instance, $"{tenant}/oauth2/v2.0/token").ToString(),
                ["jwks_uri"] = new Uri(Instance, $"{tenant}/discovery/v2.0/keys").ToString(),
                ["issuer"] = Issuer,
                ["authorization_endpoint"] = new Uri(Instance, $"{tenant}/oauth2/v2.0/authorize").ToString(),
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
                ["subject_types_supported"] = new JsonArray("pairwise"),
            };
        }
        else if (path == $"/{tenant}/discovery/v2.0/keys")
        {
            var keys = new JsonArray();
            lock (_published)
            {
                foreach (var key in _published)
                {
                    var parameters = key.Rsa.ExportParameters(false);
                    keys.Add(new JsonObject
                    {
                        ["kty"] = "RSA",
                        ["use"] = "sig",
                        ["kid"] = key.KeyId,
                        ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                        ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                    });
                }
            }
            body = new JsonObject { ["keys"] = keys };
        }
        if (body is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };
}
