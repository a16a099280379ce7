using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Core.Entities.Schemas.PluginConfigs;

namespace Gatehouse.Bench;

/// <summary>
/// What one plugin write's validation costs, in process and without storage: the schema a
/// write picks by name (<see cref="Plugins.For"/>) and Kong's write pipeline
/// (<see cref="EntityProcessor.Prepare"/>), as the Admin API runs them, for the bundled schema
/// with the most config fields, a mid one (rate-limiting), a small one (key-auth) and a refusal.
/// </summary>
internal static class PluginValidation
{
    private const int WarmUp = 2_000;

    /// <summary>
    /// A valid minimal config per plugin the benchmarks write, after the schema tests'
    /// (tests/Gatehouse.Core.Tests/Entities/PluginConfigs); a name not here takes <c>{}</c>.
    /// </summary>
    public static string MinimalConfig(string name) => name switch
    {
        "rate-limiting" => """{"minute":10}""",
        "response-ratelimiting" => """{"limits":{"video":{"minute":10}}}""",
        "oauth2" => """{"enable_client_credentials":true}""",
        "ldap-auth" => """{"ldap_host":"ldap.test","base_dn":"dc=example,dc=com","attribute":"cn"}""",
        "proxy-cache" => """{"strategy":"memory"}""",
        "acme" => """{"account_email":"example@example.com","storage":"kong"}""",
        "pre-function" or "post-function" => """{"access":["return"]}""",
        "azure-functions" => """{"appname":"app","functionname":"fn"}""",
        "redirect" => """{"location":"https://example.com"}""",
        "standard-webhooks" => """{"secret_v1":"whsec"}""",
        "tcp-log" or "udp-log" => """{"host":"logs.test","port":9000}""",
        "http-log" => """{"http_endpoint":"http://logs.test/path"}""",
        "loggly" => """{"key":"token"}""",
        "opentelemetry" => """{"traces_endpoint":"http://otel.test:4318/v1/traces"}""",
        "zipkin" => """{"http_endpoint":"http://zipkin.test:9411/api/v2/spans"}""",
        "ai-proxy" => """{"route_type":"llm/v1/chat","model":{"provider":"openai"}}""",
        "ai-request-transformer" or "ai-response-transformer" =>
            """{"prompt":"p","llm":{"route_type":"llm/v1/chat","model":{"provider":"openai"}}}""",
        "ai-prompt-decorator" => """{"prompts":{"prepend":[{"content":"You are a pirate."}]}}""",
        "ai-prompt-template" => """{"templates":[{"name":"greet","template":"Say hi to {{name}}"}]}""",
        "ai-prompt-guard" => """{"deny_patterns":[".*password.*"]}""",
        _ => "{}",
    };

    /// <summary>
    /// Config fields counted the way a validation walks them: every field under <c>config</c>,
    /// and inside it every record's fields and every array, set or map's element (and key) field,
    /// recursively.
    /// </summary>
    public static int FieldCount(Field field) =>
        (field.Fields?.Sum(f => 1 + FieldCount(f)) ?? 0)
        + (field.Elements is { } elements ? 1 + FieldCount(elements) : 0)
        + (field.Keys is { } keys ? 1 + FieldCount(keys) : 0);

    /// <summary>The bundled schema with the most config fields, and its count.</summary>
    public static (PluginSchema Schema, int Fields) Largest() =>
        PluginSchemas.All.Select(s => (s, FieldCount(s.Config))).MaxBy(p => p.Item2);

    public static Task RunAsync(string[] args)
    {
        var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var ranked = PluginSchemas.All.Select(s => (s.Name, Fields: FieldCount(s.Config))).OrderByDescending(p => p.Fields).ToList();
        var (largest, largestFields) = Largest();
        Console.WriteLine($"Plugin validation in process (Plugins.For + EntityProcessor.Prepare, Admin API options, no storage), " +
            $"{iterations:N0} writes per case after {WarmUp:N0} warm-up, timed one by one; allocation is this thread's bytes per write.");
        Console.WriteLine($"Config fields per bundled schema (recursive: records, array/set/map elements and keys), largest first: " +
            string.Join(", ", ranked.Take(6).Select(p => $"{p.Name} {p.Fields}")) + $" ... key-auth {ranked.Single(p => p.Name == "key-auth").Fields}.");
        Console.WriteLine($"Largest bundled schema: {largest.Name}, {largestFields} config fields.");
        Console.WriteLine();

        var processor = new EntityProcessor(TimeProvider.System);
        Console.WriteLine($"{"case",-44} {"mean µs",8} {"p50 µs",8} {"p99 µs",8} {"bytes/write",12}");
        Measure(processor, $"{largest.Name} (largest), valid", Body(largest.Name), valid: true, iterations);
        Measure(processor, "rate-limiting (mid), valid", Body("rate-limiting"), valid: true, iterations);
        Measure(processor, "key-auth (small), valid", Body("key-auth"), valid: true, iterations);
        // The refusal path walks the whole schema too: Kong reports every error, not the first.
        var refused = Body(largest.Name);
        refused["config"]!.AsObject()["no_such_field"] = 1;
        Measure(processor, $"{largest.Name}, refused (unknown config field)", refused, valid: false, iterations);
        return Task.CompletedTask;
    }

    /// <summary>A full plugin body as a client sends it: its name and a valid minimal config.</summary>
    public static JsonObject Body(string name) =>
        JsonNode.Parse($$"""{"name":"{{name}}","config":{{MinimalConfig(name)}}}""")!.AsObject();

    private static void Measure(EntityProcessor processor, string name, JsonObject body, bool valid, int iterations)
    {
        var check = Validate(processor, body);
        if ((check.Entity is not null) != valid)
        {
            throw new InvalidOperationException($"{name}: expected {(valid ? "valid" : "refused")}, got {string.Join("; ", check.Errors.Select(e => e.ToString()))}");
        }
        for (var i = 0; i < WarmUp; i++)
        {
            Validate(processor, body);
        }
        var micros = new double[iterations];
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            Validate(processor, body);
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)iterations;
        var mean = micros.Average();
        Array.Sort(micros);
        Console.WriteLine($"{name,-44} {mean,8:F1} {Percentile.Of(micros, 0.50),8:F1} {Percentile.Of(micros, 0.99),8:F1} {bytes,12:N0}");
    }

    /// <summary>What a plugin write's validation does: the schema by name, then Kong's pipeline (it clones the input).</summary>
    private static (JsonObject? Entity, IReadOnlyList<FieldError> Errors) Validate(EntityProcessor processor, JsonObject body) =>
        processor.Prepare(Plugins.For(body, null, null), body, WriteMode.Insert, options: WriteOptions.AdminApi);
}
