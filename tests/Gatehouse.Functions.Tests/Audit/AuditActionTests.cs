using Gatehouse.Functions.Audit;

namespace Gatehouse.Functions.Tests.Audit;

/// <summary>Action names come from the route's literal segments (null stands for a parameter) and the method.</summary>
public sealed class AuditActionTests
{
    [Theory]
    [InlineData("POST", "v2|control-planes", "control-planes.create")]
    [InlineData("PATCH", "v2|control-planes|", "control-planes.update")]
    [InlineData("DELETE", "v2|control-planes|", "control-planes.delete")]
    [InlineData("GET", "v2|control-planes|", "control-planes.get")]
    [InlineData("GET", "v2|control-planes", "control-planes.list")]
    [InlineData("POST", "v2|control-planes||core-entities|services", "core-entities.services.create")]
    [InlineData("PUT", "v2|control-planes||core-entities|services|", "core-entities.services.replace")]
    [InlineData("POST", "v2|control-planes||core-entities|services||routes", "core-entities.services.routes.create")]
    [InlineData("POST", "v2|control-planes||group-memberships|add", "group-memberships.add")]
    [InlineData("PUT", "v2|control-planes||group-memberships", "group-memberships.replace")]
    [InlineData("POST", "v2|control-planes||dp-client-certificates|generate", "dp-client-certificates.generate")]
    [InlineData("PUT", "v2|control-planes||declarative-config", "declarative-config.replace")]
    [InlineData("DELETE", "v3|system-accounts||access-tokens|", "system-accounts.access-tokens.delete")]
    [InlineData("POST", "v3|system-accounts||assigned-roles", "system-accounts.assigned-roles.create")]
    [InlineData("GET", "v2|audit-logs", "audit-logs.list")]
    public void A_route_and_method_name_the_action(string method, string route, string action) =>
        Assert.Equal(action, AuditActions.FromRoute(method, [.. route.Split('|').Select(s => s.Length == 0 ? null : s)]));
}
