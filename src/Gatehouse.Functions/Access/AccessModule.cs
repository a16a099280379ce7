using Gatehouse.Azure.Identity;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Access;

namespace Gatehouse.Functions.Access;

/// <summary>Who may call the management API: the admin token, system accounts, users, teams and their tokens, and the access decision.</summary>
internal static class AccessModule
{
    public static IServiceCollection AddGatehouseAccess(this IServiceCollection services)
    {
        services.AddSingleton(sp => new TableIdentityStore(sp.GetRequiredService<StorageAccount>().Tables, sp.GetRequiredService<StorageLayout>()));
        // Authentication reads through a short cache that every identity write through this process empties.
        services.AddSingleton(sp => new RecentTokenHolders(sp.GetRequiredService<TableIdentityStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IIdentityStore>(sp => sp.GetRequiredService<RecentTokenHolders>());
        services.AddSingleton<IUserStore>(sp => sp.GetRequiredService<RecentTokenHolders>());
        services.AddSingleton<ITeamStore>(sp => sp.GetRequiredService<RecentTokenHolders>());
        services.AddSingleton<RoleAssignments>();
        services.AddSingleton<SystemAccountService>();
        services.AddSingleton<UserService>();
        services.AddSingleton<TeamService>();
        services.AddSingleton<TokenAuthentication>();
        return services;
    }
}
