using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.Functions.DataPlanes.Push;
using Gatehouse.Functions.Hosting;
using Gatehouse.Functions.Http;
using Gatehouse.Functions.WebConsole;
using Gatehouse.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// /openapi/v1.json against the app's route table: every endpoint is documented, and every
/// documented operation is routed to the endpoint it describes and asks for the credentials it
/// says, over real HTTP.
/// </summary>
public sealed partial class OpenApiCoverageTests(StorageFixture storage)
{
    private const string ProbeHeader = "X-Coverage-Probe";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_endpoint_is_in_the_document_and_the_document_has_nothing_else()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var documented = Operations(await DocumentAsync(app.Anonymous));
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        var routed = new HashSet<(string Method, string Path)>();
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true })
            {
                // Only what is no part of the API may be left out.
                Assert.True(IsNotApi(endpoint), $"{endpoint.DisplayName} is excluded from the document but is an API endpoint");
                continue;
            }
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            Assert.True(methods is { Count: > 0 }, $"{endpoint.DisplayName} takes any method: the document cannot say which");
            foreach (var method in methods)
            {
                var operation = (method, Template(endpoint.RoutePattern));
                Assert.True(documented.Contains(operation), $"{method} {operation.Item2} is an endpoint the document leaves out");
                routed.Add(operation);
            }
        }
        Assert.Empty(documented.Except(routed));
        // The core-entities routes are there, one per collection and method, memberships included.
        Assert.Contains(("DELETE", "/v2/control-planes/{controlPlaneId}/core-entities/consumer_groups/{consumer_groupKey}/consumers/{consumerKey}"), routed);
        Assert.Contains(("POST", "/v2/control-planes/{controlPlaneId}/core-entities/upstreams/{upstreamKey}/targets"), routed);
        Assert.DoesNotContain(("POST", "/v2/control-planes/{controlPlaneId}/core-entities/targets"), routed);
        Assert.True(routed.Count > 150, $"only {routed.Count} operations");
    }

    [Fact]
    public async Task Every_documented_operation_is_routed_to_its_endpoint_and_asks_for_the_documented_credentials()
    {
        var seen = new ConcurrentDictionary<string, Endpoint?>();
        await using var app = await StartRecordingAsync(seen);
        var document = await DocumentAsync(app.Anonymous);
        var controlPlane = (await (await app.Admin.PostJsonAsync("/v2/control-planes", """{"name":"coverage"}""")).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("id").GetString()!;

        var probes = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var url = ParameterPattern().Replace(path.Name, match => match.Value switch
            {
                "{controlPlaneId}" => controlPlane,
                var id when id.EndsWith("Id}", StringComparison.Ordinal) => Guid.NewGuid().ToString(),
                _ => "x1",
            });
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name != "parameters"))
            {
                var method = operation.Name.ToUpperInvariant();
                var scheme = operation.Value.GetProperty("security").EnumerateArray().SelectMany(s => s.EnumerateObject()).Select(s => s.Name).SingleOrDefault();

                // Without credentials: refused when the document says some are needed, and only then.
                var (anonymous, anonymousEndpoint) = await SendAsync(app.Anonymous, seen, method, url);
                AssertRoutedTo(anonymousEndpoint, method, path.Name);
                if (scheme is null)
                {
                    Assert.NotEqual(HttpStatusCode.Unauthorized, anonymous);
                }
                else
                {
                    Assert.True(anonymous == HttpStatusCode.Unauthorized, $"{method} {url} answered {(int)anonymous} without credentials; it documents {scheme}");
                }

                // With the admin token the endpoint itself answers, whatever it makes of an empty request.
                if (scheme == "adminToken")
                {
                    var (answered, endpoint) = await SendAsync(app.Admin, seen, method, url);
                    AssertRoutedTo(endpoint, method, path.Name);
                    Assert.True((int)answered is >= 200 and < 500 and not 401 and not 405, $"{method} {url} answered {(int)answered}");
                }
                probes++;
            }
        }
        Assert.True(probes > 150, $"only {probes} operations probed");
    }

    private static void AssertRoutedTo(Endpoint? endpoint, string method, string documentedPath)
    {
        var route = Assert.IsType<RouteEndpoint>(endpoint, exactMatch: false);
        Assert.True(route.Metadata.GetMetadata<UnmatchedRoute>() is null, $"{method} {documentedPath} reached no route, only {route.DisplayName}");
        Assert.Equal(documentedPath, Template(route.RoutePattern));
        Assert.Contains(method, route.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []);
    }

    private static async Task<(HttpStatusCode Status, Endpoint? Endpoint)> SendAsync(
        HttpClient client, ConcurrentDictionary<string, Endpoint?> seen, string method, string url)
    {
        var probe = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        request.Headers.Add(ProbeHeader, probe);
        using var response = await client.SendAsync(request, Ct);
        Assert.True(seen.TryRemove(probe, out var endpoint), $"{method} {url} was not seen by the server");
        return (response.StatusCode, endpoint);
    }

    private static bool IsNotApi(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<UnmatchedRoute>() is not null
        || endpoint.Metadata.GetMetadata<WebConsolePage>() is not null
        || endpoint.Metadata.GetMetadata<InvokedFunction>() is not null
        || endpoint.RoutePattern.RawText?.StartsWith(LocalDataPlaneHub.Path, StringComparison.Ordinal) == true
        || endpoint.RoutePattern.RawText is "/" or "/openapi/v1.json";

    private static async Task<JsonElement> DocumentAsync(HttpClient client) =>
        await (await client.GetAsync("/openapi/v1.json", Ct)).ExpectAsync(HttpStatusCode.OK);

    private static HashSet<(string Method, string Path)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(o => o.Name != "parameters").Select(o => (o.Name.ToUpperInvariant(), path.Name)))
            .ToHashSet();

    private static string Template(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => $"{{{parameter.Name}}}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => throw new InvalidOperationException($"unexpected route part in {pattern.RawText}"),
        }))));

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex ParameterPattern();

    /// <summary>The app, with a filter in front of everything that notes which endpoint routing chose for each probe.</summary>
    private async Task<RecordingApp> StartRecordingAsync(ConcurrentDictionary<string, Endpoint?> seen)
    {
        var settings = new Dictionary<string, string?>
        {
            ["GatehouseStorage"] = storage.ConnectionString,
            ["Gatehouse:AdminToken"] = RunningApp.AdminToken,
            ["Gatehouse:Storage:Prefix"] = storage.UniqueName("t"),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var app = GatehouseApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSingleton<IStartupFilter>(new EndpointRecorder(seen));
        });
        await app.StartAsync(Ct);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new RecordingApp(app, new Uri(address));
    }

    private sealed class EndpointRecorder(ConcurrentDictionary<string, Endpoint?> seen) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(ProbeHeader, out var probe))
                {
                    // Before the response leaves, so the client never reads one that is not noted yet.
                    context.Response.OnStarting(() =>
                    {
                        seen[probe.ToString()] = context.GetEndpoint();
                        return Task.CompletedTask;
                    });
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    private sealed class RecordingApp(WebApplication app, Uri address) : IAsyncDisposable
    {
        public HttpClient Admin { get; } = new() { BaseAddress = address, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", RunningApp.AdminToken) } };

        public HttpClient Anonymous { get; } = new() { BaseAddress = address };

        public async ValueTask DisposeAsync()
        {
            Admin.Dispose();
            Anonymous.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
