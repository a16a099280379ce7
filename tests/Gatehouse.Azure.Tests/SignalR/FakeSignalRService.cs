using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace Gatehouse.Azure.Tests.SignalR;

/// <summary>
/// A stand-in for Azure SignalR Service's serverless REST API (no emulator restores here),
/// written from its published contract (Azure/azure-signalr docs/swagger V20220601 and V20230701,
/// and the AccessKey rules of the service's SDK): HTTPS on a loopback Kestrel; every request needs
/// an <c>api-version</c>, and either a bearer JWT signed HS256 with the UTF-8 bytes of the access
/// key, whose <c>aud</c> is the request URL and whose <c>exp</c> is in the future, or the Entra ID
/// token it is given. Routes: <c>POST /api/hubs/{hub}/groups/{group}/:send</c> and <c>POST /api/hubs/{hub}/users/{user}/:send</c> (202),
/// <c>PUT /api/hubs/{hub}/users/{user}/groups/{group}</c> (200), <c>POST /api/hubs/{hub}/:generateToken</c>
/// (2023-07-01 and later: <c>{"token"}</c> for the client URL), <c>HEAD /api/health</c>; errors
/// as ErrorDetail <c>{"code","message"}</c>. It records what it accepted.
/// </summary>
internal sealed class FakeSignalRService : IAsyncDisposable
{
    public const string EntraToken = "fake-entra-token-for-signalr";

    private LoopbackHttpsService _host = null!;

    /// <summary>The key REST tokens must be signed with, and client tokens are signed with.</summary>
    public string AccessKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public Uri Endpoint => _host.Uri;

    public string ConnectionString => $"Endpoint={Endpoint.AbsoluteUri.TrimEnd('/')};AccessKey={AccessKey};Version=1.0;";

    /// <summary>Statuses to answer (with an ErrorDetail body) before serving any request normally, one per request.</summary>
    public ConcurrentQueue<(int Status, string Code)> Failures { get; } = new();

    /// <summary>Every request that reached a route (authenticated or not): method, path and query, and the status answered.</summary>
    public ConcurrentQueue<(string Request, int Status)> Requests { get; } = new();

    public ConcurrentQueue<Send> Sends { get; } = new();

    public ConcurrentQueue<UserSend> UserSends { get; } = new();

    public ConcurrentQueue<UserGroup> UserGroups { get; } = new();

    public ConcurrentQueue<GeneratedToken> GeneratedTokens { get; } = new();

    /// <summary>The claims of each AccessKey token the fake accepted, in order.</summary>
    public ConcurrentQueue<JsonObject> AcceptedKeyTokens { get; } = new();

    public sealed record Send(string Hub, string Group, string ApiVersion, string Body);

    public sealed record UserSend(string Hub, string User, string ApiVersion, string Body);

    public sealed record UserGroup(string Hub, string User, string Group, string? Ttl);

    public sealed record GeneratedToken(string Hub, string? UserId, string? MinutesToExpire, string ApiVersion);

    public static async Task<FakeSignalRService> StartAsync()
    {
        var service = new FakeSignalRService();
        service._host = await LoopbackHttpsService.StartAsync(service.Map);
        return service;
    }

    /// <summary>Client options that trust this service's TLS certificate, retrying <paramref name="retries"/> times after short delays.</summary>
    public TOptions Trusting<TOptions>(TOptions options, int retries = 0)
        where TOptions : ClientOptions => _host.Trusting(options, retries);

    /// <summary>
    /// The claims of <paramref name="token"/> if it is an HS256 JWT signed with <paramref name="key"/>
    /// (its UTF-8 bytes) that has not expired; null otherwise. Checked by hand from the JWT rules, not
    /// with the library the client signs with.
    /// </summary>
    public static JsonObject? Verify(string token, string key)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }
        try
        {
            var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!.AsObject();
            if (header["alg"]?.GetValue<string>() != "HS256")
            {
                return null;
            }
            var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"));
            if (!CryptographicOperations.FixedTimeEquals(expected, Base64Url.DecodeFromChars(parts[2])))
            {
                return null;
            }
            var claims = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
            return claims["exp"]?.GetValue<long>() is { } exp && DateTimeOffset.FromUnixTimeSeconds(exp) > DateTimeOffset.UtcNow ? claims : null;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    /// <summary>A send's body, taken (202) when it names a string target.</summary>
    private static async Task<IResult> InvocationAsync(HttpContext context, Action<string> accepted)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var payload = JsonNode.Parse(body) as JsonObject;
        if (payload?["target"] is not JsonValue target || target.GetValueKind() != JsonValueKind.String)
        {
            return Error(400, "InvalidPayload", "The payload needs a string 'target'.");
        }
        accepted(body);
        return Results.StatusCode(202);
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var status = await GateAsync(context);
            if (status == 0)
            {
                await next(context);
                status = context.Response.StatusCode;
            }
            Requests.Enqueue(($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}", status));
        });

        app.MapPost("/api/hubs/{hub}/groups/{group}/:send", (string hub, string group, HttpContext context) =>
            InvocationAsync(context, body => Sends.Enqueue(new Send(hub, group, context.Request.Query["api-version"]!, body))));

        app.MapPost("/api/hubs/{hub}/users/{user}/:send", (string hub, string user, HttpContext context) =>
            InvocationAsync(context, body => UserSends.Enqueue(new UserSend(hub, user, context.Request.Query["api-version"]!, body))));

        app.MapPut("/api/hubs/{hub}/users/{user}/groups/{group}", (string hub, string user, string group, HttpContext context) =>
        {
            UserGroups.Enqueue(new UserGroup(hub, user, group, context.Request.Query["ttl"].FirstOrDefault()));
            return Results.Ok();
        });

        app.MapPost("/api/hubs/{hub}/:generateToken", (string hub, HttpContext context) =>
        {
            var version = context.Request.Query["api-version"].ToString();
            if (string.CompareOrdinal(version, "2023-07-01") < 0)
            {
                return Error(400, "InvalidApiVersion", $"':generateToken' is not in api-version {version}.");
            }
            var userId = context.Request.Query["userId"].FirstOrDefault();
            var minutes = context.Request.Query["minutesToExpire"].FirstOrDefault();
            GeneratedTokens.Enqueue(new GeneratedToken(hub, userId, minutes, version));
            var claims = new JsonObject
            {
                ["aud"] = $"{Endpoint.AbsoluteUri.TrimEnd('/')}/client/?hub={hub}",
                ["exp"] = DateTimeOffset.UtcNow.AddMinutes(int.Parse(minutes ?? "60", System.Globalization.CultureInfo.InvariantCulture)).ToUnixTimeSeconds(),
            };
            if (userId is not null)
            {
                claims["nameid"] = userId;
            }
            return Results.Json(new JsonObject { ["token"] = Sign(claims, AccessKey) });
        });

        app.MapMethods("/api/health", ["HEAD"], () => Results.Ok());
    }

    /// <summary>0 to go on to the route, or the status already answered.</summary>
    private async Task<int> GateAsync(HttpContext context)
    {
        if (!context.Request.Query.ContainsKey("api-version"))
        {
            return await WriteErrorAsync(context, 400, "InvalidApiVersion", "The api-version query parameter is required.");
        }
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return await WriteErrorAsync(context, 401, "Unauthorized", "A bearer token is required.");
        }
        var token = authorization["Bearer ".Length..];
        if (token != EntraToken)
        {
            var claims = Verify(token, AccessKey);
            // The SDK's audience: the request URL as sent, query included.
            if (claims is null || claims["aud"]?.GetValue<string>() != context.Request.GetEncodedUrl())
            {
                return await WriteErrorAsync(context, 401, "Unauthorized", "The access token is not valid for this request.");
            }
            AcceptedKeyTokens.Enqueue(claims);
        }
        if (Failures.TryDequeue(out var failure))
        {
            return await WriteErrorAsync(context, failure.Status, failure.Code, $"Failing on purpose with {failure.Status}.");
        }
        return 0;
    }

    private static string Sign(JsonObject claims, string key)
    {
        var header = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes($"{header}.{payload}"));
        return $"{header}.{payload}.{Base64Url.EncodeToString(signature)}";
    }

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new { code, message }, statusCode: status);

    private static async Task<int> WriteErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        if (context.Request.Method != "HEAD")
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new { code, message }), context.RequestAborted);
        }
        return status;
    }
}
