using Gatehouse.Azure.SignalR;
using Gatehouse.Core.DataPlanes.Push;
using Microsoft.AspNetCore.SignalR;

namespace Gatehouse.Functions.DataPlanes.Push;

/// <summary>
/// Where data planes are pushed to, read at start so that a misconfiguration stops the app with
/// the reason. The settings choose, so there is no mode to keep in step with them:
/// <c>Gatehouse__SignalR__ConnectionString</c> (<c>Endpoint=…;AccessKey=…;Version=1.0;</c>) or
/// <c>Gatehouse__SignalR__Endpoint</c> (with the app's managed identity, or
/// <c>DefaultAzureCredential</c>, as storage is reached) mean Azure SignalR Service in serverless
/// mode; neither means the in-process hub at <see cref="LocalDataPlaneHub.Path"/>.
/// </summary>
internal sealed record PushConfiguration(string Description, SignalRServiceClient? Service)
{
    public const string SectionName = "Gatehouse:SignalR";

    public bool Local => Service is null;

    public static PushConfiguration Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var connectionString = section["ConnectionString"];
        var endpoint = section["Endpoint"];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            if (!string.IsNullOrWhiteSpace(endpoint))
            {
                throw new InvalidOperationException(
                    "Both Gatehouse__SignalR__ConnectionString and Gatehouse__SignalR__Endpoint are set: set the connection string (access key) or the endpoint (identity), not both.");
            }
            SignalRConnectionString parsed;
            try
            {
                parsed = SignalRConnectionString.Parse(connectionString);
            }
            catch (FormatException e)
            {
                throw new InvalidOperationException($"Gatehouse__SignalR__ConnectionString is not valid: {e.Message}", e);
            }
            return new($"Azure SignalR Service {parsed.Endpoint} (access key)", new SignalRServiceClient(parsed));
        }
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                throw new InvalidOperationException(
                    $"Gatehouse__SignalR__Endpoint must be the service's https URI (https://<name>.service.signalr.net), not '{endpoint}'.");
            }
            var credential = AzureCredential.From(section, "Gatehouse__SignalR");
            return new($"Azure SignalR Service {uri} (Entra ID)", new SignalRServiceClient(uri, credential));
        }
        return new($"the in-process hub at {LocalDataPlaneHub.Path}", null);
    }

    public void AddServices(IServiceCollection services)
    {
        if (Service is { } client)
        {
            services.AddSingleton(client);
            services.AddSingleton<IDataPlaneNegotiator>(new SignalRServiceNegotiator(client));
            services.AddSingleton(sp => Logged(sp, new SignalRServiceNotifier(client)));
            return;
        }
        services.AddSignalR(hub =>
        {
            // Clients only listen: what they send is the handshake, pings and closes.
            hub.MaximumReceiveMessageSize = 4 * 1024;
        });
        services.AddHttpContextAccessor();
        services.AddSingleton<LocalHubTokens>();
        services.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, HubTokenAuthentication>(HubTokenAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(HubTokenAuthentication.SchemeName, policy => policy
            .AddAuthenticationSchemes(HubTokenAuthentication.SchemeName)
            .RequireAuthenticatedUser()
            .RequireClaim(LocalHubTokens.ControlPlaneClaim));
        services.AddSingleton<IDataPlaneNegotiator, LocalHubNegotiator>();
        services.AddSingleton<IUserIdProvider, LocalHubUsers>();
        services.AddSingleton(sp => Logged(sp, new LocalHubNotifier(sp.GetRequiredService<IHubContext<LocalDataPlaneHub>>())));
    }

    public void MapHub(WebApplication app)
    {
        if (Local)
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapHub<LocalDataPlaneHub>(LocalDataPlaneHub.Path).RequireAuthorization(HubTokenAuthentication.SchemeName).ExcludeFromDescription();
        }
    }

    private static IDataPlaneNotifier Logged(IServiceProvider services, IDataPlaneNotifier notifier) =>
        new LoggingDataPlaneNotifier(new PointerForgettingNotifier(notifier, services.GetRequiredService<RecentPointers>()),
            services.GetRequiredService<ILogger<LoggingDataPlaneNotifier>>());
}
