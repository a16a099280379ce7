using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// response-ratelimiting (kong/plugins/response-ratelimiting/schema.lua:62-251 at 3.9.3): named
/// limits, each with at least one period and periods in order (7-23, 114-138), Redis
/// (96, kong/tools/redis/schema.lua), the deprecated <c>redis_*</c> shorthands (140-233) and the
/// Redis entity checks (237-250). A control plane (is_dbless() true, 26-60) offers no "cluster" policy.
/// </summary>
public static class ResponseRateLimiting
{
    private static Field Limits { get; } = new Field("limits", FieldType.Map)
    {
        Required = true,
        Keys = new Field("name", FieldType.String),
        Elements = Record("limit", [.. RateLimiting.Periods.Select(p => Number(p).With(GreaterThan(0)))]) with
        {
            Validators = [value => RateLimiting.PeriodsOutOfOrder(value.AsObject(), "the")],
            RecordChecks = [AtLeastOneOf([.. RateLimiting.Periods])],
        },
    }.With(LengthMin(1));

    public static PluginSchema Schema { get; } = new("response-ratelimiting", Config(
        Text("header_name", "x-kong-limit"),
        Text("limit_by", "consumer").With(OneOf("consumer", "credential", "ip")),
        Text("policy", "local").With(OneOf("local", "redis")),
        Bool("fault_tolerant", true),
        Redis.Config,
        Bool("block_on_first_violation", false),
        Bool("hide_client_headers", false),
        Limits) with
    {
        Shorthands = Redis.DeprecatedShorthands,
    })
    {
        Protocols = HttpOnly,
        Checks =
        [
            Conditional("config.policy", Is("redis"), "config.redis.host", Required),
            Conditional("config.policy", Is("redis"), "config.redis.port", Required),
            Conditional("config.policy", Is("redis"), "config.redis.timeout", Required),
        ],
    };
}
