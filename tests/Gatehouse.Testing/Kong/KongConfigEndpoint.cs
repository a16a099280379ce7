using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Testing.Kong;

/// <summary>
/// <c>POST /config</c> and <c>GET /config</c> of a DB-less Kong (kong/api/routes/config.lua), in the
/// same order of checks: find the config (the body is the document itself when it has
/// <c>_format_version</c>, else its <c>config</c> string, else the raw body), parse it (JSON, then
/// YAML), 304 on an unchanged hash, 400 on an invalid config, 429 when busy, else load it: 201.
/// </summary>
internal static class KongConfigEndpoint
{
    private const string DeclarativeConfigName = "invalid declarative configuration";
    private const int DeclarativeConfigCode = 14;

    public static KongResponse Get(KongConfigState state) =>
        new(200, new JsonObject { ["config"] = state.CurrentConfig ?? """{"_format_version":"3.0","_transform":false}""" });

    public static KongResponse Post(byte[] body, string? contentType, Func<string, string?> query, KongConfigState state, KongNodeOptions node, Func<int?> busyRetryAfter)
    {
        // As Kong: flatten_errors takes any truthy spelling, check_hash only "1".
        var flatten = query("flatten_errors")?.ToLowerInvariant() is "true" or "1" or "on" or "yes";
        var checkHash = query("check_hash") == "1";

        var parameters = IsJson(contentType) ? TryParseObject(body) : null;
        JsonObject document;
        string configText;
        string? newHash;
        if (parameters?["_format_version"] is not null)
        {
            // Kong hashes this form as md5 of its own re-encoding of the parsed entities, which cannot be
            // reproduced here; the body's md5 stands in. Kong has no hash to check either, so never a 304.
            document = parameters;
            configText = Encoding.UTF8.GetString(body);
            newHash = null;
        }
        else
        {
            var config = parameters?["config"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
            if (config is null)
            {
                if (body.Length == 0)
                {
                    return KongResponse.Message(400, "expected a declarative configuration");
                }
                config = Encoding.UTF8.GetString(body);
            }
            if (Unserialize(config, out var error) is not { } parsed)
            {
                var errors = new KongErrorTree();
                errors.Add(["error"], error!);
                return Invalid(errors, flattened: null);
            }
            document = parsed;
            configText = config;
            newHash = Md5(Encoding.UTF8.GetBytes(config));
        }

        if (checkHash && newHash is not null && newHash == state.CurrentHash)
        {
            return new KongResponse(304);
        }

        var invalid = KongDeclarativeValidation.Validate(document, node);
        if (invalid.IsEmpty && state.TakeRejection() is { } refusal)
        {
            AddRefusal(document, invalid, refusal);
        }
        if (!invalid.IsEmpty)
        {
            return Invalid(invalid, flatten ? KongFlattenedErrors.Flatten(document, invalid) : null);
        }

        if (busyRetryAfter() is { } retryAfter)
        {
            return new KongResponse(429, new JsonObject { ["message"] = "Currently loading previous configuration" },
                new Dictionary<string, string> { ["Retry-After"] = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        state.Load(newHash ?? Md5(body), configText, document);
        var entities = new JsonObject();
        foreach (var (key, value) in document.Where(pair => !pair.Key.StartsWith('_')))
        {
            entities[key] = value?.DeepClone();
        }
        return new KongResponse(201, entities);
    }

    private static KongResponse Invalid(KongErrorTree errors, JsonArray? flattened)
    {
        // Flattening drains what it could attribute to entities, so `fields` and `message` carry only
        // the rest (often `{}`), as Kong's do.
        var body = new JsonObject
        {
            ["code"] = DeclarativeConfigCode,
            ["name"] = DeclarativeConfigName,
            ["message"] = "declarative config is invalid: " + errors.ToLua(),
            ["fields"] = errors.ToJson(),
        };
        if (flattened is not null)
        {
            body["flattened_errors"] = flattened;
        }
        return new KongResponse(400, body);
    }

    /// <summary>
    /// A test's refusal, worded as Kong words an entity it will not load (a uniqueness violation, say):
    /// on the first entity of the document, or at the top when it has none.
    /// </summary>
    private static void AddRefusal(JsonObject document, KongErrorTree errors, string message)
    {
        var section = document.FirstOrDefault(pair => !pair.Key.StartsWith('_') && pair.Value is JsonArray { Count: > 0 } items && items[0] is JsonObject);
        if (section.Key is null)
        {
            errors.Add(["error"], message);
        }
        else
        {
            errors.Add([section.Key, 1, KongErrorTree.EntityKey], message);
        }
    }

    private static JsonObject? Unserialize(string config, out string? error)
    {
        error = null;
        try
        {
            if (JsonNode.Parse(config) is JsonObject json)
            {
                return json;
            }
        }
        catch (JsonException)
        {
            // Kong falls back to YAML, of which JSON is a subset.
        }
        try
        {
            if (YamlJson.Parse(config) is JsonObject yaml)
            {
                return yaml;
            }
            error = "failed parsing declarative configuration: expected an object";
        }
        catch (Exception exception) when (exception is FormatException or YamlDotNet.Core.YamlException)
        {
            error = "failed parsing declarative configuration: " + exception.Message;
        }
        return null;
    }

    private static JsonObject? TryParseObject(byte[] body)
    {
        try
        {
            return body.Length == 0 ? null : JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));
}
