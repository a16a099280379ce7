using Gatehouse.Azure.Identity;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Access;
using Gatehouse.Functions.Access.EntraId;

namespace Gatehouse.Functions.Access;

/// <summary>Who may call the management API: the admin token, system accounts, users, teams and their tokens, and the access decision.</summary>
internal static class AccessModule
{
    public static IServiceCollection AddGatehouseAccess(this IServiceCollection services, IConfiguration configuration)
    {
        var entra = EntraIdConfiguration.Read(configuration);
        services.AddSingleton(new EntraIdSetting(entra));
        services.AddSingleton(new ConsoleEntraSignInSetting(ConsoleEntraSignIn.Read(configuration, entra)));
        services.AddSingleton(sp => new TableIdentityStore(sp.GetRequiredService<StorageAccount>().Tables, sp.GetRequiredService<StorageLayout>()));
        // Authentication reads through a short cache that every identity write through this process empties.
        services.AddSingleton(sp => new RecentTokenHolders(sp.GetRequiredService<TableIdentityStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IIdentityStore>(sp => sp.GetRequiredService<RecentTokenHolders>());
        services.AddSingleton<IUserStore>(sp => sp.GetRequiredService<RecentTokenHolders>());
        services.AddSingleton<ITeamStore>(sp => sp.GetRequiredService<RecentTokenHolders>());
        services.AddSingleton<ISignInStore>(sp => sp.GetRequiredService<RecentTokenHolders>());
        services.AddSingleton<SignInService>();
        services.AddSingleton(sp => new EntraSignIn(
            entra is null ? null : new EntraIdTokens(entra, new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, sp.GetRequiredService<TimeProvider>()),
            sp.GetRequiredService<SignInService>(), sp.GetRequiredService<RecentTokenHolders>(), sp.GetRequiredService<ILogger<EntraSignIn>>()));
        services.AddSingleton<RoleAssignments>();
        services.AddSingleton<SystemAccountService>();
        services.AddSingleton<UserService>();
        services.AddSingleton<TeamService>();
        services.AddSingleton<TokenAuthentication>();
        services.AddSingleton<FailedTokenAttempts>();
        return services;
    }
}
