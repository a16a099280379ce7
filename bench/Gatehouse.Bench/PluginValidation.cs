using System.Diagnostics;
using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Core.Entities.Schemas.PluginConfigs;

namespace Gatehouse.Bench;

/// <summary>
/// What one plugin write's validation costs, in process and without storage: the schema a
/// write picks by name (<see cref="Plugins.For"/>) and Kong's write pipeline
/// (<see cref="EntityProcessor.Prepare"/>), as the Admin API runs them, for the bundled schema
/// with the most config fields (and the largest a service
/// can carry), a mid one (rate-limiting), a small one (key-auth) and a refusal.
/// </summary>
internal static class PluginValidation
{
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

    /// <summary>The bundled schema with the most config fields that a service can carry (acme, say, is global only).</summary>
    public static (PluginSchema Schema, int Fields) LargestOnAService() =>
        PluginSchemas.All.Where(s => !s.NoService).Select(s => (s, FieldCount(s.Config))).MaxBy(p => p.Item2);

    public static void Run(int iterations = 20_000)
    {
        var ranked = PluginSchemas.All.Select(s => (s.Name, Fields: FieldCount(s.Config))).OrderByDescending(p => p.Fields).ToList();
        var (largest, largestFields) = Largest();
        var (onService, onServiceFields) = LargestOnAService();
        // The refusal path walks the whole schema too: Kong reports every error, not the first.
        var refused = Body(largest.Name);
        refused["config"]!.AsObject()["no_such_field"] = 1;
        List<(string Name, JsonObject Body, bool Valid)> cases =
        [
            ($"{largest.Name} (largest), valid", Body(largest.Name), true),
            .. onService == largest ? [] : new[] { ($"{onService.Name} (largest on a service), valid", Body(onService.Name), true) },
            ("rate-limiting (mid), valid", Body("rate-limiting"), true),
            ("key-auth (small), valid", Body("key-auth"), true),
            ($"{largest.Name}, refused (unknown config field)", refused, false),
        ];

        var processor = new EntityProcessor(TimeProvider.System);
        var warmUp = WarmUp(processor, cases);
        Console.WriteLine($"Plugin validation in process (Plugins.For + EntityProcessor.Prepare, Admin API options, no storage), " +
            $"{iterations:N0} writes per case, timed one by one, after {warmUp:N0} warm-up writes of every case; allocation is this thread's bytes per write.");
        Console.WriteLine($"Config fields per bundled schema (recursive: records, array/set/map elements and keys), largest first: " +
            string.Join(", ", ranked.Take(6).Select(p => $"{p.Name} {p.Fields}")) + $" ... key-auth {ranked.Single(p => p.Name == "key-auth").Fields}.");
        Console.WriteLine($"Largest bundled schema: {largest.Name}, {largestFields} config fields; the largest a service can carry: {onService.Name}, {onServiceFields}.");
        Console.WriteLine();
        Console.WriteLine($"{"case",-56} {"mean µs",8} {"p50 µs",8} {"p99 µs",8} {"max µs",8} {"bytes/write",12}");
        foreach (var (name, body, _) in cases)
        {
            Measure(processor, name, body, iterations);
        }
    }

    /// <summary>A full plugin body as a client sends it: its name and a valid minimal config.</summary>
    public static JsonObject Body(string name) =>
        JsonNode.Parse($$"""{"name":"{{name}}","config":{{MinimalConfig(name)}}}""")!.AsObject();

    /// <summary>
    /// Checks each case validates or is refused as named, then runs them all for at least two
    /// seconds, so tiered compilation has settled before the first case is timed.
    /// </summary>
    private static int WarmUp(EntityProcessor processor, IReadOnlyList<(string Name, JsonObject Body, bool Valid)> cases)
    {
        foreach (var (name, body, valid) in cases)
        {
            var check = Validate(processor, body);
            if ((check.Entity is not null) != valid)
            {
                throw new InvalidOperationException($"{name}: expected {(valid ? "valid" : "refused")}, got {string.Join("; ", check.Errors)}");
            }
        }
        var rounds = 0;
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(2) || rounds < 2_000; rounds++)
        {
            foreach (var (_, body, _) in cases)
            {
                Validate(processor, body);
            }
        }
        return rounds;
    }

    private static void Measure(EntityProcessor processor, string name, JsonObject body, int iterations)
    {
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
        Console.WriteLine($"{name,-56} {mean,8:F1} {Percentile.Of(micros, 0.50),8:F1} {Percentile.Of(micros, 0.99),8:F1} {micros[^1],8:F0} {bytes,12:N0}");
    }

    /// <summary>What a plugin write's validation does: the schema by name, then Kong's pipeline (it clones the input).</summary>
    private static (JsonObject? Entity, IReadOnlyList<FieldError> Errors) Validate(EntityProcessor processor, JsonObject body) =>
        processor.Prepare(Plugins.For(body, null, null), body, WriteMode.Insert, options: WriteOptions.AdminApi);
}
