using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// rate-limiting (kong/plugins/rate-limiting/schema.lua at 3.9.3): limits per period (80-85), what
/// to count by (86-91), the policy (49-70, 92), Redis (94, kong/tools/redis/schema.lua), the
/// periods-order and sync_rate rules (10-36, 100), the deprecated <c>redis_*</c> shorthands
/// (101-194) and the entity checks (198-220).
/// </summary>
public static class RateLimiting
{
    private static readonly string[] s_periods = ["second", "minute", "hour", "day", "month", "year"];

    private static Field Limit(string period) => Number(period).With(GreaterThan(0));

    private static ShorthandField RedisShorthand(string name, FieldType type, bool emptyAllowed = false) =>
        new(new Field($"redis_{name}", type) { EmptyAllowed = emptyAllowed }, value => new JsonObject { ["redis"] = new JsonObject { [name] = value.DeepClone() } })
        {
            ReplacedWith = $"redis.{name}",
        };

    public static PluginSchema Schema { get; } = new("rate-limiting", Config(
        [
            .. s_periods.Select(Limit),
            Text("limit_by", "consumer").With(OneOf("consumer", "credential", "ip", "service", "header", "path")),
            HeaderName("header_name"),
            Typedefs.Path("path"),
            // A control plane (is_dbless() true, 39-46) offers no "cluster" policy: it needs a database.
            Text("policy", "local") with { EmptyAllowed = true, Validators = [OneOf("local", "redis")] },
            Bool("fault_tolerant", true),
            Redis.Config,
            Bool("hide_client_headers", false),
            Number("error_code", 429).With(GreaterThan(0)),
            Text("error_message", "API rate limit exceeded"),
            Number("sync_rate", -1, required: true),
        ]) with
    {
        Validators = [PeriodsInOrderAndSyncRate],
        Shorthands =
        [
            RedisShorthand("host", FieldType.String),
            RedisShorthand("port", FieldType.Integer),
            RedisShorthand("password", FieldType.String, emptyAllowed: true),
            RedisShorthand("username", FieldType.String),
            RedisShorthand("ssl", FieldType.Boolean),
            RedisShorthand("ssl_verify", FieldType.Boolean),
            RedisShorthand("server_name", FieldType.String),
            RedisShorthand("timeout", FieldType.Integer),
            RedisShorthand("database", FieldType.Integer),
        ],
    })
    {
        Protocols = HttpOnly,
        Checks =
        [
            AtLeastOneOf([.. s_periods.Select(p => $"config.{p}")]),
            Conditional("config.policy", Is("redis"), "config.redis.host", Required),
            Conditional("config.policy", Is("redis"), "config.redis.port", Required),
            Conditional("config.policy", Is("redis"), "config.redis.timeout", Required),
            Conditional("config.limit_by", Is("header"), "config.header_name", Required),
            Conditional("config.limit_by", Is("path"), "config.path", Required),
        ],
    };

    /// <summary>validate_periods_order (schema.lua:10-36): a longer period may not allow fewer requests; sync_rate needs Redis.</summary>
    private static string? PeriodsInOrderAndSyncRate(JsonNode value)
    {
        var config = value.AsObject();
        for (var i = 0; i < s_periods.Length; i++)
        {
            if (config[s_periods[i]] is not { } lower || lower.GetValueKind() != JsonValueKind.Number)
            {
                continue;
            }
            for (var j = i + 1; j < s_periods.Length; j++)
            {
                if (config[s_periods[j]] is { } upper && upper.GetValueKind() == JsonValueKind.Number && AsDouble(upper) < AsDouble(lower))
                {
                    return string.Create(CultureInfo.InvariantCulture,
                        $"The limit for {s_periods[j]}({AsDouble(upper):F1}) cannot be lower than the limit for {s_periods[i]}({AsDouble(lower):F1})");
                }
            }
        }
        var redis = Text(config["policy"]) == "redis";
        var syncRate = AsDouble(config["sync_rate"]!);
        if (!redis && syncRate != -1)
        {
            return "sync_rate can only be used with the redis policy";
        }
        return redis && syncRate != -1 && syncRate < 0.02 ? "sync_rate must be greater than 0.02, or -1 to disable" : null;
    }
}
