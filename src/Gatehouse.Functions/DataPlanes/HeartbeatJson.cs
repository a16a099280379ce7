using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.Core.Analytics;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.Validation;
using Gatehouse.Functions.Analytics;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// Reads heartbeat bodies strictly, naming every wrong field. The limits keep a node's row well
/// inside one Table storage entity (a property holds at most 32K characters): Kong ships about a
/// hundred plugins, and its labels are at most 63 characters a key or value.
/// </summary>
internal static partial class HeartbeatJson
{
    public const int MaxHostname = 255;
    public const int MaxVersion = 64;
    public const int MaxPlugins = 200;
    public const int MaxPluginName = 64;
    public const int MaxLabels = 50;
    public const int MaxLabelText = 63;
    public const int MaxErrorMessage = 2048;

    private static readonly HashSet<string> s_fields = ["node_id", "hostname", "version", "plugins", "config_hash", "labels", "error", "metrics"];
    private static readonly HashSet<string> s_pluginFields = ["name", "version"];
    private static readonly HashSet<string> s_errorFields = ["message", "config_hash"];

    public static HeartbeatReport Read(JsonElement body) => ReadWithMetrics(body).Report;

    /// <summary>The heartbeat and the traffic it reports (null from sidecars that report none).</summary>
    public static (HeartbeatReport Report, MetricsReport? Metrics) ReadWithMetrics(JsonElement body)
    {
        var errors = new List<InvalidParameter>();
        var metrics = HeartbeatMetricsJson.Read(body, errors);
        var fields = new JsonFields(body, s_fields, errors);
        var nodeId = Guid.Empty;
        if (Required(fields, "node_id") is { } idText && !Guid.TryParseExact(idText, "D", out nodeId))
        {
            errors.Add(new InvalidParameter("node_id", "must be a UUID", "is_uuid"));
        }
        var hostname = Required(fields, "hostname") ?? "";
        if (hostname.Length > MaxHostname)
        {
            errors.Add(new InvalidParameter("hostname", $"must not be longer than {MaxHostname} characters", "max_length"));
        }
        var version = Required(fields, "version") ?? "";
        if (version.Length > 0 && !IsVersion(version))
        {
            errors.Add(new InvalidParameter("version", "must be a Kong version such as 3.9.1 or 3.9.1.0", "is_version"));
        }
        var hash = fields.String("config_hash") ?? "";
        if (hash.Length > 0 && !Hash().IsMatch(hash))
        {
            errors.Add(new InvalidParameter("config_hash", "must be 32 lowercase hex digits", "is_hash"));
        }
        var report = new HeartbeatReport(nodeId, hostname, version, Plugins(fields, errors), hash, Labels(fields, errors), Error(fields, errors));
        if (errors.Count > 0)
        {
            throw new RequestInvalidException("Invalid heartbeat.", errors);
        }
        return (report, metrics);
    }

    private static string? Required(JsonFields fields, string name)
    {
        var value = fields.String(name);
        if (!fields.Has(name) || value is "")
        {
            fields.Errors.Add(new InvalidParameter(name, "is required", "required"));
        }
        return value;
    }

    private static List<NodePlugin> Plugins(JsonFields fields, List<InvalidParameter> errors)
    {
        var plugins = new List<NodePlugin>();
        if (fields.Array("plugins") is not { } array)
        {
            return plugins;
        }
        if (array.GetArrayLength() > MaxPlugins)
        {
            errors.Add(new InvalidParameter("plugins", $"must not list more than {MaxPlugins} plugins", "max_items"));
            return plugins;
        }
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var at = $"plugins[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(InvalidParameter.WrongType(at, "is_object", "an object"));
                continue;
            }
            var plugin = new JsonFields(item, s_pluginFields, errors, at + ".");
            var name = plugin.String("name");
            if (string.IsNullOrEmpty(name) || name.Length > MaxPluginName)
            {
                errors.Add(new InvalidParameter($"{at}.name", $"is required, at most {MaxPluginName} characters", "required"));
            }
            var version = plugin.String("version");
            if (version is not null && (version.Length > MaxVersion || !IsVersion(version)))
            {
                errors.Add(new InvalidParameter($"{at}.version", "must be a version such as 3.9.1", "is_version"));
            }
            plugins.Add(new NodePlugin(name ?? "", version));
        }
        return plugins;
    }

    private static Dictionary<string, string> Labels(JsonFields fields, List<InvalidParameter> errors)
    {
        var labels = fields.StringMap("labels") ?? [];
        if (labels.Count > MaxLabels)
        {
            errors.Add(new InvalidParameter("labels", $"must not hold more than {MaxLabels} labels", "max_items"));
        }
        foreach (var (key, value) in labels)
        {
            if (key.Length is 0 or > MaxLabelText || value.Length > MaxLabelText)
            {
                errors.Add(new InvalidParameter($"labels.{(key.Length > MaxLabelText ? key[..MaxLabelText] + "…" : key)}",
                    $"keys must be 1 to {MaxLabelText} characters and values at most {MaxLabelText}", "max_length"));
            }
        }
        return labels;
    }

    private static NodeError? Error(JsonFields fields, List<InvalidParameter> errors)
    {
        if (fields.Object("error") is not { } error)
        {
            return null;
        }
        var reported = new JsonFields(error, s_errorFields, errors, "error.");
        var message = reported.String("message");
        if (string.IsNullOrEmpty(message) || message.Length > MaxErrorMessage)
        {
            errors.Add(new InvalidParameter("error.message", $"is required, at most {MaxErrorMessage} characters", "required"));
        }
        var hash = reported.String("config_hash");
        if (hash is not null && !Hash().IsMatch(hash))
        {
            errors.Add(new InvalidParameter("error.config_hash", "must be 32 lowercase hex digits", "is_hash"));
        }
        return new NodeError(message ?? "", hash);
    }

    private static bool IsVersion(string text) => text.Length <= MaxVersion && Version().IsMatch(text);

    // Kong's versions: 3.9.1, 3.9.1.0 (Enterprise), with a pre-release or build suffix at most.
    [GeneratedRegex(@"^\d{1,6}\.\d{1,6}\.\d{1,6}(\.\d{1,6})?([-+][0-9A-Za-z.-]{1,40})?$")]
    private static partial Regex Version();

    /// <summary>A config hash or a node facts hash: 32 lowercase hex digits.</summary>
    [GeneratedRegex("^[0-9a-f]{32}$")]
    internal static partial Regex Hash();
}
