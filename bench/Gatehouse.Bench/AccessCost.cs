using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Gatehouse.Core.Access;

namespace Gatehouse.Bench;

/// <summary>
/// What authentication and authorization cost per request: the access decision alone, in process,
/// for a principal holding 1,000 role assignments against the organization admin; then the same
/// read over HTTP with a system account's token holding 1,000 assignments against the admin token,
/// alternating, on one app and one Azurite.
/// </summary>
internal static class AccessCost
{
    private const int Roles = 1000;

    public static async Task RunAsync(string[] args)
    {
        var requests = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        var target = Guid.NewGuid().ToString();
        var assigned = Enumerable.Range(0, Roles - 1)
            .Select(i => new AssignedRole(Guid.NewGuid(), ControlPlaneRoles.All[i % ControlPlaneRoles.All.Count], Guid.NewGuid().ToString(), ControlPlaneRoles.EntityType, "*"))
            .Append(new AssignedRole(Guid.NewGuid(), "Route Admin", target, ControlPlaneRoles.EntityType, "*"))
            .ToList();
        var account = Principal.Of(new SystemAccount(Guid.NewGuid(), "bench", "", false, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow), assigned);
        var routes = ControlPlaneResource.Entities("routes");
        Console.WriteLine($"The access decision in process (Permissions.Missing, a route write), {Roles} assignments:");
        Console.WriteLine($"  organization admin: {Decide(Principal.OrganizationAdmin, target, routes):F3} µs   system account: {Decide(account, target, routes):F3} µs");
        Console.WriteLine();

        await using var bench = await BenchApp.StartAsync(512);
        var http = bench.Http;
        var cp = JsonDocument.Parse(await (await http.PostAsync("/v2/control-planes", JsonBody.Of("""{"name":"access-bench"}"""))).Content.ReadAsStringAsync())
            .RootElement.GetProperty("id").GetString()!;
        var accountId = JsonDocument.Parse(await (await http.PostAsync("/v3/system-accounts", JsonBody.Of("""{"name":"bench","description":"access bench"}"""))).Content.ReadAsStringAsync())
            .RootElement.GetProperty("id").GetString()!;
        var setup = Stopwatch.StartNew();
        for (var i = 0; i < Roles - 1; i++)
        {
            using var role = await http.PostAsync($"/v3/system-accounts/{accountId}/assigned-roles",
                JsonBody.Of($$"""{"role_name":"{{ControlPlaneRoles.All[i % ControlPlaneRoles.All.Count]}}","entity_id":"{{Guid.NewGuid()}}","entity_type_name":"Control Planes","entity_region":"*"}"""));
            role.EnsureSuccessStatusCode();
        }
        (await http.PostAsync($"/v3/system-accounts/{accountId}/assigned-roles",
            JsonBody.Of($$"""{"role_name":"Viewer","entity_id":"{{cp}}","entity_type_name":"Control Planes","entity_region":"*"}"""))).EnsureSuccessStatusCode();
        var token = JsonDocument.Parse(await (await http.PostAsync($"/v3/system-accounts/{accountId}/access-tokens",
            JsonBody.Of($$"""{"name":"bench","expires_at":"{{DateTimeOffset.UtcNow.AddDays(1):O}}"}"""))).Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        Console.WriteLine($"{Roles} role assignments made over HTTP in {setup.Elapsed.TotalSeconds:F1} s.");

        using var asAccount = new HttpClient { BaseAddress = http.BaseAddress };
        asAccount.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var path = $"/v2/control-planes/{cp}";
        var admin = new List<double>();
        var system = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            await Time(http, path);
            await Time(asAccount, path);
        }
        for (var i = 0; i < requests; i++)
        {
            admin.Add(await Time(http, path));
            system.Add(await Time(asAccount, path));
        }
        admin.Sort();
        system.Sort();
        Console.WriteLine();
        Console.WriteLine($"GET {path.Replace(cp, "{id}", StringComparison.Ordinal)}, {requests} each, alternating:");
        Console.WriteLine($"{"token",-40} {"p50 µs",9} {"p99 µs",9} {"mean µs",9}");
        Row("admin token", admin);
        Row($"spat_ token, {Roles} assignments", system);
        Console.WriteLine($"cost of a system account's token over the admin token: p50 {Percentile.Of(system, 0.5) - Percentile.Of(admin, 0.5):F0} µs, mean {system.Average() - admin.Average():F0} µs");
        Console.WriteLine("(the holder, its roles and its teams are read from storage at most every 2 s per token; between reads it is one dictionary lookup and the decision above)");
    }

    private static double Decide(Principal principal, string controlPlane, ControlPlaneResource resource)
    {
        const int iterations = 20_000;
        for (var i = 0; i < 1000; i++)
        {
            Permissions.Missing(principal, ControlPlaneAction.Write, controlPlane, resource);
        }
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            Permissions.Missing(principal, ControlPlaneAction.Write, controlPlane, resource);
        }
        return watch.Elapsed.TotalMicroseconds / iterations;
    }

    private static async Task<double> Time(HttpClient client, string path)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return watch.Elapsed.TotalMicroseconds;
    }

    private static void Row(string name, List<double> sorted) =>
        Console.WriteLine($"{name,-40} {Percentile.Of(sorted, 0.5),9:F0} {Percentile.Of(sorted, 0.99),9:F0} {sorted.Average(),9:F0}");

}
