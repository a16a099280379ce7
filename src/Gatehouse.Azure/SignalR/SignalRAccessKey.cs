using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Azure.SignalR;

/// <summary>
/// An Azure SignalR Service access key, and the HS256 tokens it signs: for the REST API (audience =
/// the request URL) and for clients (audience = the client URL). The key is the UTF-8 bytes of the
/// key string, not its base64 decoding, as the service's SDK signs (AuthUtility). Never shown by <see cref="ToString"/>.
/// </summary>
public sealed class SignalRAccessKey
{
    private static readonly JsonWebTokenHandler s_handler = new() { SetDefaultTimesOnTokenCreation = false };

    private readonly SigningCredentials _signing;

    public SignalRAccessKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _signing = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256);
    }

    /// <summary>A token for <paramref name="audience"/> valid from <paramref name="now"/> for <paramref name="lifetime"/>, with <c>nameid</c> when a user is given.</summary>
    public string CreateToken(string audience, DateTimeOffset now, TimeSpan lifetime, string? userId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(audience);
        var descriptor = new SecurityTokenDescriptor
        {
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = _signing,
        };
        if (userId is not null)
        {
            descriptor.Subject = new ClaimsIdentity([new Claim("nameid", userId)]);
        }
        return s_handler.CreateToken(descriptor);
    }

    public override string ToString() => "SignalRAccessKey (withheld)";
}
