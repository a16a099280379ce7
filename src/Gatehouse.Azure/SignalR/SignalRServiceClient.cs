using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Gatehouse.Azure.SignalR;

/// <summary>
/// The REST API of Azure SignalR Service in serverless mode, as much as Gatehouse needs: send to a
/// group, add a user to a group, health, and client access (URL and token). On an Azure.Core
/// pipeline: Microsoft.Azure.SignalR.Management cannot be restored here. Authenticates with an
/// access key (each request signed, HS256) or an Entra ID token (scope <see cref="Scope"/>, the
/// "SignalR REST API Owner" role). Failures throw <see cref="RequestFailedException"/>.
/// </summary>
public partial class SignalRServiceClient
{
    public const string Scope = "https://signalr.azure.com/.default";

    /// <summary>The first version with <c>:generateToken</c>.</summary>
    private const string GenerateTokenVersion = "2023-07-01";

    private static readonly int[] s_ok = [200];
    private static readonly int[] s_accepted = [202];

    private readonly HttpPipeline _pipeline;
    private readonly string _endpoint;
    private readonly string _version;
    private readonly SignalRAccessKey? _key;
    private readonly TimeProvider _clock;

    /// <summary>With an access key, from <c>Endpoint=…;AccessKey=…;Version=1.0;</c>.</summary>
    public SignalRServiceClient(string connectionString, SignalRServiceClientOptions? options = null)
        : this(SignalRConnectionString.Parse(connectionString), options)
    {
    }

    public SignalRServiceClient(SignalRConnectionString connectionString, SignalRServiceClientOptions? options = null)
        : this(connectionString?.Endpoint!, connectionString?.AccessKey, null, options)
    {
    }

    /// <summary>With an Entra ID identity.</summary>
    public SignalRServiceClient(Uri endpoint, TokenCredential credential, SignalRServiceClientOptions? options = null)
        : this(endpoint, null, credential ?? throw new ArgumentNullException(nameof(credential)), options)
    {
    }

    private SignalRServiceClient(Uri endpoint, SignalRAccessKey? key, TokenCredential? credential, SignalRServiceClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= new SignalRServiceClientOptions();
        _clock = options.Clock;
        _key = key;
        HttpPipelinePolicy authentication = key is not null
            ? new SignalRAccessKeyPolicy(key, _clock)
            : new BearerTokenAuthenticationPolicy(credential!, Scope);
        _pipeline = HttpPipelineBuilder.Build(new HttpPipelineOptions(options)
        {
            PerRetryPolicies = { authentication },
            RequestFailedDetailsParser = SignalRErrorParser.Shared,
        });
        _endpoint = endpoint.AbsoluteUri.TrimEnd('/');
        _version = options.Version;
        Endpoint = endpoint;
    }

    /// <summary>For mocking frameworks only.</summary>
    protected SignalRServiceClient()
    {
        _pipeline = null!;
        _endpoint = _version = "";
        _clock = TimeProvider.System;
        Endpoint = null!;
    }

    public virtual Uri Endpoint { get; }

    /// <summary>
    /// <c>POST /api/hubs/{hub}/groups/{group}/:send</c> (202): every connection in the group receives
    /// an invocation of <paramref name="target"/> with <paramref name="arguments"/> (each serialized
    /// with System.Text.Json as its runtime type, so its attributes name its fields).
    /// </summary>
    public virtual async Task<Response> SendToGroupAsync(
        string hub, string group, string target, IReadOnlyList<object?> arguments, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Post, $"api/hubs/{Hub(hub)}/groups/{Group(group)}/:send", _version);
        Invocation(message, target, arguments);
        return await SendAsync(message, s_accepted, cancellationToken).ConfigureAwait(false);
    }

    private static void Invocation(HttpMessage message, string target, IReadOnlyList<object?> arguments)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        ArgumentNullException.ThrowIfNull(arguments);
        var body = new JsonObject
        {
            ["target"] = target,
            ["arguments"] = new JsonArray([.. arguments.Select(a => a is null ? null : JsonSerializer.SerializeToNode(a, a.GetType()))]),
        };
        message.Request.Headers.SetValue(HttpHeader.Names.ContentType, "application/json");
        message.Request.Content = RequestContent.Create(BinaryData.FromString(body.ToJsonString()));
    }

    /// <summary>
    /// <c>POST /api/hubs/{hub}/users/{user}/:send</c> (202): every connection of the user receives an
    /// invocation of <paramref name="target"/> with <paramref name="arguments"/>, as <see cref="SendToGroupAsync"/>.
    /// </summary>
    public virtual async Task<Response> SendToUserAsync(
        string hub, string user, string target, IReadOnlyList<object?> arguments, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Post, $"api/hubs/{Hub(hub)}/users/{User(user)}/:send", _version);
        Invocation(message, target, arguments);
        return await SendAsync(message, s_accepted, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>PUT /api/hubs/{hub}/users/{user}/groups/{group}</c> (200): the user's connections, now and
    /// later, are in the group, so a serverless app that never learns connection ids can still group
    /// them. Without <paramref name="ttl"/> the membership lasts up to a year.
    /// </summary>
    public virtual async Task<Response> AddUserToGroupAsync(
        string hub, string group, string user, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        var query = ttl is { } t ? $"&ttl={(long)t.TotalSeconds}" : "";
        using var message = CreateMessage(RequestMethod.Put, $"api/hubs/{Hub(hub)}/users/{User(user)}/groups/{Group(group)}", _version, query);
        return await SendAsync(message, s_ok, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>HEAD /api/health</c> (200 when the service is healthy).</summary>
    public virtual async Task<Response> GetHealthAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Head, "api/health", _version);
        return await SendAsync(message, s_ok, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where clients connect for <paramref name="hub"/>: <c>{endpoint}/client/?hub={hub}</c>, the audience of their tokens.</summary>
    public virtual Uri GetClientAccessUri(string hub) => new($"{_endpoint}/client/?hub={Hub(hub)}");

    /// <summary>
    /// A token a client connects to <paramref name="hub"/> with, as user <paramref name="userId"/>
    /// (its <c>nameid</c>). Signed here with the access key; with an identity, which holds no key,
    /// the service makes it (<c>POST /api/hubs/{hub}/:generateToken</c>, whole minutes).
    /// </summary>
    public virtual async Task<string> GetClientAccessTokenAsync(string hub, string userId, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        if (lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "A token's lifetime must be positive.");
        }
        if (_key is not null)
        {
            return _key.CreateToken(GetClientAccessUri(hub).AbsoluteUri, _clock.GetUtcNow(), lifetime, userId);
        }
        var minutes = Math.Max(1, (long)Math.Ceiling(lifetime.TotalMinutes));
        using var message = CreateMessage(RequestMethod.Post, $"api/hubs/{Hub(hub)}/:generateToken", GenerateTokenVersion,
            $"&userId={Uri.EscapeDataString(userId)}&minutesToExpire={minutes.ToString(CultureInfo.InvariantCulture)}");
        var response = await SendAsync(message, s_ok, cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(response.Content);
            return document.RootElement.GetProperty("token").GetString() is { Length: > 0 } token
                ? token
                : throw new InvalidOperationException("the token is empty");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new RequestFailedException(response.Status, $"Azure SignalR Service answered {response.Status} to :generateToken without a token: {e.Message}", e);
        }
    }

    private HttpMessage CreateMessage(RequestMethod method, string path, string version, string query = "")
    {
        var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri($"{_endpoint}/{path}?api-version={version}{query}"));
        message.Request.Headers.SetValue(HttpHeader.Names.Accept, "application/json");
        return message;
    }

    private async Task<Response> SendAsync(HttpMessage message, int[] expected, CancellationToken cancellationToken)
    {
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        return expected.Contains(response.Status) ? response : throw new RequestFailedException(response, null, SignalRErrorParser.Shared);
    }

    /// <summary>Hub names: a letter, then letters, digits and underscores; the service lower-cases them, so this does too.</summary>
    private static string Hub(string hub) =>
        hub is not null && HubName().IsMatch(hub)
            ? hub.ToLowerInvariant()
            : throw new ArgumentException($"'{hub}' is not a hub name (a letter, then letters, digits, underscores).", nameof(hub));

    private static string Group(string group) =>
        group is { Length: > 0 and < 1025 }
            ? Uri.EscapeDataString(group)
            : throw new ArgumentException("A group name has 1 to 1024 characters.", nameof(group));

    private static string User(string user) =>
        !string.IsNullOrEmpty(user) ? Uri.EscapeDataString(user) : throw new ArgumentException("A user id is not empty.", nameof(user));

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex HubName();
}
