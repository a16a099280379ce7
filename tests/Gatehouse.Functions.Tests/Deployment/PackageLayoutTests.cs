using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Queues;
using Gatehouse.Azure.Composition;
using Gatehouse.Azure.Storage;
using Gatehouse.Functions.Composition;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Hosting;
using Gatehouse.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace Gatehouse.Functions.Tests.Deployment;

/// <summary>
/// The published package has what the Azure Functions host needs to run the app as a custom
/// handler, and its bindings agree with what the app does: the catch-all HTTP function reaches
/// every route, the queue trigger reads the queue we write in the encoding we write, and every
/// non-HTTP function has the endpoint the host will POST to.
/// </summary>
[Collection(PublishedPackageCollection.Name)]
public sealed class PackageLayoutTests(PublishedPackage package, StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Host_json_at_the_root_starts_the_self_contained_executable_as_a_custom_handler()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "host.json")), File.ReadAllText(Path.Combine(package.Directory, "host.json")));
        var host = package.HostJson;
        Assert.Equal("2.0", host.GetProperty("version").GetString());

        var handler = host.GetProperty("customHandler");
        Assert.True(handler.GetProperty("enableProxyingHttpRequest").GetBoolean());
        var executable = Path.Combine(package.Directory, handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString()!);
        Assert.True(File.Exists(executable), $"{executable} is not in the package");
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute), "the executable has no execute bit");
        // A Linux (ELF) apphost that carries its runtime: nothing depends on the platform's .NET.
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(executable)[..4]);
        Assert.True(File.Exists(Path.Combine(package.Directory, "libcoreclr.so")), "the package is not self-contained");
        using var runtimeConfig = JsonDocument.Parse(File.ReadAllText(Path.Combine(package.Directory, "Gatehouse.Functions.runtimeconfig.json")));
        Assert.True(runtimeConfig.RootElement.GetProperty("runtimeOptions").TryGetProperty("includedFrameworks", out _), "runtimeconfig names no included frameworks");

        Assert.Equal("", host.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        var bundle = host.GetProperty("extensionBundle");
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", bundle.GetProperty("id").GetString());
        Assert.Equal("[4.*, 5.0.0)", bundle.GetProperty("version").GetString());
    }

    [Fact]
    public void The_package_holds_the_web_console_built_by_the_publish()
    {
        var console = Path.Combine(package.Directory, "console");
        var index = File.ReadAllText(Path.Combine(console, "index.html"));
        // Every script and style index.html names is in the package: nothing comes from elsewhere at run time.
        var assets = System.Text.RegularExpressions.Regex.Matches(index, "(?:src|href)=\"(/[^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(assets);
        Assert.All(assets, asset => Assert.True(File.Exists(Path.Combine(console, asset.TrimStart('/'))), $"{asset} is not in the package"));
        Assert.DoesNotMatch("(?:src|href)=\"https?://", index);
        // With the forms the build compressed them to, which the app sends to browsers that take them.
        Assert.All(assets.Where(asset => asset.EndsWith(".js", StringComparison.Ordinal)), script => Assert.All(new[] { ".br", ".gz" },
            suffix => Assert.True(File.Exists(Path.Combine(console, script.TrimStart('/') + suffix)), $"{script}{suffix} is not in the package")));
    }

    [Fact]
    public void The_package_holds_the_three_functions()
    {
        Assert.Equal(["Api", FunctionEndpoints.Recompose, FunctionEndpoints.Sweep], package.Functions.Keys.Order(StringComparer.Ordinal));
        // The app's own sources stay out: function.json files land only in their function's folder.
        Assert.False(Directory.Exists(Path.Combine(package.Directory, "functions")));
    }

    [Fact]
    public void The_catch_all_http_function_is_proxied_to_the_app_for_every_method()
    {
        var bindings = Bindings("Api");
        // Proxying applies only to a function whose bindings are exactly an httpTrigger and an http output.
        Assert.Equal(2, bindings.Count);
        var trigger = Assert.Single(bindings, b => b.GetProperty("type").GetString() == "httpTrigger");
        Assert.Equal("in", trigger.GetProperty("direction").GetString());
        Assert.Single(bindings, b => b.GetProperty("type").GetString() == "http" && b.GetProperty("direction").GetString() == "out");
        // The app checks the admin token itself; a function key in front would refuse every client.
        Assert.Equal("anonymous", trigger.GetProperty("authLevel").GetString());
    }

    [Fact]
    public async Task The_catch_all_route_covers_every_route_of_the_app()
    {
        var trigger = Bindings("Api").Single(b => b.GetProperty("type").GetString() == "httpTrigger");
        var prefix = package.HostJson.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString();
        var route = string.Join('/', new[] { prefix, trigger.GetProperty("route").GetString() }.Where(p => !string.IsNullOrEmpty(p)));
        var matcher = new TemplateMatcher(TemplateParser.Parse(route), []);
        var methods = trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToHashSet();

        await using var app = await RunningApp.StartAsync(storage);
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            // The functions the host invokes directly are not reached through the catch-all.
            .Where(e => e.Metadata.GetMetadata<InvokedFunction>() is null)
            .ToList();
        Assert.True(endpoints.Count > 10, $"only {endpoints.Count} endpoints found");
        foreach (var endpoint in endpoints)
        {
            var path = SamplePath(endpoint.RoutePattern);
            Assert.True(matcher.TryMatch(new PathString(path), []), $"the catch-all route '{route}' does not match {path} ({endpoint.RoutePattern.RawText})");
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST", "PUT", "PATCH", "DELETE"])
            {
                Assert.True(methods.Contains(method), $"{method} {endpoint.RoutePattern.RawText} is not among the catch-all's methods");
            }
        }
        // Every path the API documents, with its parameters filled in.
        var documented = GatehouseOpenApi.Build(app.Services.GetRequiredService<EndpointDataSource>().Endpoints)["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/v2/control-planes/{controlPlaneId}/core-entities/routes/{routeKey}", documented);
        foreach (var path in documented)
        {
            var sample = Regex.Replace(path, @"\{[^}]+\}", "x1");
            Assert.True(matcher.TryMatch(new PathString(sample), []), $"the catch-all route '{route}' does not match {sample} ({path})");
        }
        // Static pages (the API explorer) are middleware, not endpoints: the catch-all reaches them too.
        Assert.True(matcher.TryMatch(new PathString("/docs/index.html"), []));
    }

    [Fact]
    public async Task Every_non_http_function_has_the_endpoint_the_host_posts_to_and_back()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var posted = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<InvokedFunction>() is not null)
            .ToList();
        var invoked = package.Functions.Keys.Where(name => name != "Api").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(invoked, posted.Select(e => e.Metadata.GetRequiredMetadata<InvokedFunction>().Name).Order(StringComparer.Ordinal));
        foreach (var endpoint in posted)
        {
            // The host invokes a function with POST /{function name}.
            Assert.Equal("/" + endpoint.Metadata.GetRequiredMetadata<InvokedFunction>().Name, endpoint.RoutePattern.RawText);
            Assert.Equal(["POST"], endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []);
        }
    }

    [Fact]
    public async Task The_recompose_queue_trigger_reads_our_queue_in_the_encoding_we_write()
    {
        var trigger = Assert.Single(Bindings(FunctionEndpoints.Recompose));
        Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(FunctionEndpoints.MessageBinding, trigger.GetProperty("name").GetString());
        // Installations on Azure use no prefix (the prefix is for sharing an account locally and in tests).
        Assert.Equal(new StorageLayout().RecomposeQueue, trigger.GetProperty("queueName").GetString());
        // The same connection the app reads, so the host and the app see one storage account.
        Assert.Equal(StorageConfiguration.SectionName, trigger.GetProperty("connection").GetString());

        var queues = package.HostJson.GetProperty("extensions").GetProperty("queues");
        Assert.Equal(PoisonedMessages.MaxDeliveries, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.Equal(TimeSpan.FromSeconds(30), TimeSpan.Parse(queues.GetProperty("visibilityTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture));

        // Enqueue the way the app does, read the raw text the way the host does, decode as host.json says.
        var layout = new StorageLayout(storage.UniqueName("t"));
        var settings = new ConfigurationBuilder().AddInMemoryCollection([new(StorageConfiguration.SectionName, storage.ConnectionString)]).Build();
        var recompose = new QueueRecomposeQueue(StorageConfiguration.Create(settings), layout);
        await recompose.InitializeAsync(Ct);
        var controlPlane = Guid.NewGuid();
        await recompose.EnqueueAsync(controlPlane, Ct);
        var asTheHostReads = new StorageAccountOptions();
        asTheHostReads.Queues.MessageEncoding = QueueMessageEncoding.None;
        var raw = Assert.Single((await storage.CreateAccount(asTheHostReads).Queues
            .GetQueueClient(layout.RecomposeQueue).ReceiveMessagesAsync(32, cancellationToken: Ct)).Value).MessageText;
        var decoded = queues.GetProperty("messageEncoding").GetString() switch
        {
            "none" => raw,
            "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(raw)),
            var other => throw new InvalidOperationException($"host.json has messageEncoding '{other}'"),
        };
        Assert.Equal(controlPlane, QueueRecomposeQueue.Parse(decoded));
    }

    [Fact]
    public void The_sweep_timer_runs_every_few_minutes_and_not_on_every_start()
    {
        var trigger = Assert.Single(Bindings(FunctionEndpoints.Sweep));
        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(FunctionEndpoints.TimerBinding, trigger.GetProperty("name").GetString());
        Assert.False(trigger.GetProperty("runOnStartup").GetBoolean());
        // NCRONTAB with seconds: six fields, a fixed second, minutes stepping by at most 10.
        var fields = trigger.GetProperty("schedule").GetString()!.Split(' ');
        Assert.Equal(6, fields.Length);
        Assert.Equal("0", fields[0]);
        Assert.Matches(@"^\*/([1-9]|10)$", fields[1]);
        Assert.All(fields[2..], f => Assert.Equal("*", f));
    }

    private List<JsonElement> Bindings(string function) =>
        [.. package.Functions[function].GetProperty("bindings").EnumerateArray()];

    // A concrete path the pattern matches: each parameter replaced by a plain value.
    private static string SamplePath(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart { IsCatchAll: true } => "a/b",
            RoutePatternParameterPart => "x1",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => throw new InvalidOperationException($"unexpected route part in {pattern.RawText}"),
        }))));
}
